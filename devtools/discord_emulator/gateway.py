"""The gateway: HELLO, heartbeats, IDENTIFY/READY, RESUME with replay, sharding and faults.

A guild's events go to the session of the shard that owns it, `(guild_id >> 22) % count`.
Sessions outlive their sockets: while disconnected they keep numbering dispatches, and a
RESUME with the last seen `seq` replays everything after it. A new IDENTIFY for a shard
replaces that shard's previous session, so each event has exactly one receiver.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from .config import EmulatorConfig
from .gateway_payloads import guild_create_payload, ready_payload
from .gateway_session import (
    GUILDS,
    HEARTBEAT,
    HEARTBEAT_ACK,
    HELLO,
    IDENTIFY,
    INVALID_SESSION,
    PRIVILEGED_INTENTS,
    RECONNECT,
    RESUME,
    GatewayConnection,
    GatewaySession,
)
from .models import JSON
from .state import EmulatorState
from .waiting import ChangeNotifier

log = logging.getLogger(__name__)

IGNORED_OPS = frozenset({3, 4, 8})  # presence, voice state, member requests: accepted, unused


class GatewayClose(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class GatewayHub:
    def __init__(
        self, config: EmulatorConfig, state: EmulatorState, notifier: ChangeNotifier
    ) -> None:
        self._config = config
        self._state = state
        self._notifier = notifier
        self.gateway_url = ""  # set when the server knows its port
        self._sessions: dict[str, GatewaySession] = {}
        self._by_shard: dict[tuple[int, int], GatewaySession] = {}
        self._connections: set[GatewayConnection] = set()
        # Heartbeats answered, on every connection: tests see that a client kept its rhythm.
        self.heartbeats = 0

    # -- what tests and other components use ----------------------------------------------

    @property
    def sessions(self) -> list[GatewaySession]:
        """The current session of every shard (connected or waiting for a RESUME)."""
        return list(self._by_shard.values())

    def sessions_for_guild(self, guild_id: int) -> list[GatewaySession]:
        return [s for s in self._by_shard.values() if s.ready and s.owns_guild(guild_id)]

    def dispatch(
        self, event: str, data: Any, *, guild_id: int | None = None, intent: int | None = None
    ) -> int:
        """Send a dispatch to the sessions concerned; returns how many got it."""
        reached = 0
        for session in self.sessions:
            if not session.ready or (guild_id is not None and not session.owns_guild(guild_id)):
                continue
            if intent is not None and not session.intents & intent:
                continue
            session.dispatch(event, data)
            reached += 1
        return reached

    def dispatch_count_for_dm(self) -> int:
        """How many ready sessions receive DM events: those of shard 0."""
        return sum(1 for session in self.sessions if session.ready and session.shard_id == 0)

    def dispatch_to_dm_shard(self, event: str, data: Any) -> int:
        """Send a DM event (one without a server) to shard 0, where Discord sends it."""
        reached = 0
        for session in self.sessions:
            if session.ready and session.shard_id == 0:
                session.dispatch(event, data)
                reached += 1
        return reached

    def abort(self, shard_id: int | None = None) -> None:
        """Drop the TCP connection of the shard (or all shards) without a close frame."""
        for session in self._targets(shard_id):
            if session.connection is not None:
                session.connection.abort()

    async def close(self, code: int, shard_id: int | None = None, reason: str = "") -> None:
        for session in self._targets(shard_id):
            if session.connection is not None:
                await session.connection.close(code, reason)

    def request_reconnect(self, shard_id: int | None = None) -> None:
        """op 7: the client should reconnect and RESUME."""
        self._send_op(shard_id, {"op": RECONNECT, "d": None})

    def invalidate_session(self, *, resumable: bool, shard_id: int | None = None) -> None:
        """op 9: resumable=False also forgets the session, so the client must IDENTIFY."""
        targets = self._targets(shard_id)
        self._send_op(shard_id, {"op": INVALID_SESSION, "d": resumable})
        if not resumable:
            for session in targets:
                self._forget(session)

    async def shutdown(self) -> None:
        for connection in list(self._connections):
            await connection.stop()
            await connection.ws.close(code=1001, message=b"emulator stopping")

    # -- the websocket ----------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=4 * 1024 * 1024)
        await ws.prepare(request)
        connection = GatewayConnection(ws, request)
        self._connections.add(connection)
        hello = {"heartbeat_interval": self._config.heartbeat_interval_ms}
        connection.send({"op": HELLO, "d": hello})
        session: GatewaySession | None = None
        try:
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                session = self._receive(connection, session, message.data)
        except GatewayClose as close:
            await connection.close(close.code, close.reason)
        finally:
            self._connections.discard(connection)
            await connection.stop()
            if session is not None and session.connection is connection:
                session.connection = None
            self._notifier.changed()
        return ws

    def _receive(
        self, connection: GatewayConnection, session: GatewaySession | None, text: str
    ) -> GatewaySession | None:
        try:
            frame = json.loads(text)
            op, data = frame["op"], frame.get("d")
        except (ValueError, KeyError, TypeError):
            raise GatewayClose(4002, "Error while decoding payload.") from None
        if op == HEARTBEAT:
            self.heartbeats += 1
            connection.send_later(self._config.heartbeat_ack_delay_ms / 1000, {"op": HEARTBEAT_ACK})
            return session
        if op in (IDENTIFY, RESUME) and session is not None:
            raise GatewayClose(4005, "Already authenticated.")
        if op == IDENTIFY:
            return self._identify(connection, data)
        if op == RESUME:
            return self._resume(connection, data)
        if session is None:
            raise GatewayClose(4003, "Not authenticated.")
        if op not in IGNORED_OPS:
            raise GatewayClose(4001, "Unknown opcode.")
        return session

    def _identify(self, connection: GatewayConnection, data: Any) -> GatewaySession:
        if not isinstance(data, dict) or not self._token_ok(data.get("token")):
            raise GatewayClose(4004, "Authentication failed.")
        shard_id, shard_count = data.get("shard") or (0, 1)
        if not (
            isinstance(shard_count, int)
            and shard_count >= 1
            and isinstance(shard_id, int)
            and 0 <= shard_id < shard_count
        ):
            raise GatewayClose(4010, "Invalid shard.")
        intents = data.get("intents")
        if not isinstance(intents, int):
            raise GatewayClose(4013, "Invalid intent(s).")
        if intents & PRIVILEGED_INTENTS:
            raise GatewayClose(4014, "Disallowed intent(s).")
        previous = self._by_shard.get((shard_id, shard_count))
        if previous is not None:
            self._forget(previous)
        session = GatewaySession(
            secrets.token_hex(16),
            self._state.bot_user.id,
            shard_id,
            shard_count,
            intents,
            connection=connection,
        )
        self._sessions[session.session_id] = session
        self._by_shard[(shard_id, shard_count)] = session
        self._start(session)
        return session

    def _start(self, session: GatewaySession) -> None:
        owned = [g for g in self._state.guilds.values() if session.owns_guild(g.id)]
        session.dispatch("READY", ready_payload(self._state, session, owned, self.gateway_url))
        session.ready = True
        if session.intents & GUILDS:
            for guild in owned:
                payload = guild_create_payload(self._state, guild, at_startup=True)
                session.dispatch("GUILD_CREATE", payload)
        self._notifier.changed()

    def _resume(self, connection: GatewayConnection, data: Any) -> GatewaySession | None:
        if not isinstance(data, dict) or not self._token_ok(data.get("token")):
            raise GatewayClose(4004, "Authentication failed.")
        session = self._sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        missed = session.missed_since(seq) if session and isinstance(seq, int) else None
        if session is None or missed is None:
            connection.send({"op": INVALID_SESSION, "d": False})
            return None
        session.connection = connection
        for frame in missed:
            connection.send(frame)
        session.dispatch("RESUMED", {"_trace": ["emulator"]})
        log.debug("session %s resumed, %d dispatches replayed", session.session_id, len(missed))
        self._notifier.changed()
        return session

    def _token_ok(self, token: object) -> bool:
        return isinstance(token, str) and token.removeprefix("Bot ") == self._config.token

    def _targets(self, shard_id: int | None) -> list[GatewaySession]:
        return [s for s in self.sessions if shard_id is None or s.shard_id == shard_id]

    def _send_op(self, shard_id: int | None, frame: JSON) -> None:
        for session in self._targets(shard_id):
            if session.connection is not None:
                session.connection.send(frame)

    def _forget(self, session: GatewaySession) -> None:
        self._sessions.pop(session.session_id, None)
        key = (session.shard_id, session.shard_count)
        if self._by_shard.get(key) is session:
            del self._by_shard[key]
