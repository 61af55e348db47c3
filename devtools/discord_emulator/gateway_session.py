"""Gateway sessions (what RESUME restores) and the connections that carry them.

Frames go out through a per-connection queue filled synchronously, so a resume can attach a
connection and queue the replay in one step: no dispatch can slip in between and be lost.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .models import JSON
from .snowflakes import shard_of

log = logging.getLogger(__name__)

# Opcodes (Discord gateway v10).
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    6,
    7,
    8,
    9,
    10,
    11,
)
# Intents.
GUILDS = 1 << 0
GUILD_MESSAGES = 1 << 9
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
# Dispatches kept for RESUME; a client further behind must IDENTIFY again.
HISTORY_LIMIT = 2000

_CLOSE = object()


class GatewayConnection:
    """One websocket; `send` queues a frame, a writer task sends queued frames in order."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request) -> None:
        self.ws = ws
        self._request = request
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write_frames(), name="emulator-gateway-writer")

    def send(self, frame: JSON) -> None:
        self._queue.put_nowait(frame)

    def send_later(self, delay_s: float, frame: JSON) -> None:
        """Queue `frame` after `delay_s`, as if it had crossed a network on its way."""
        asyncio.get_running_loop().call_later(delay_s, self._queue.put_nowait, frame)

    def abort(self) -> None:
        """Drop the TCP connection without a close frame, like a network failure."""
        transport = self._request.transport
        if transport is not None:
            transport.abort()

    async def close(self, code: int, reason: str = "") -> None:
        self._queue.put_nowait(_CLOSE)
        await self._writer
        await self.ws.close(code=code, message=reason.encode())

    async def stop(self) -> None:
        self._writer.cancel()
        try:
            await self._writer
        except asyncio.CancelledError:
            log.debug("gateway writer stopped")

    async def _write_frames(self) -> None:
        while (frame := await self._queue.get()) is not _CLOSE:
            if self.ws.closed:
                return
            try:
                await self.ws.send_str(json.dumps(frame))
            except ConnectionError:
                return


@dataclass
class GatewaySession:
    session_id: str
    user_id: int
    shard_id: int
    shard_count: int
    intents: int
    seq: int = 0
    history: deque[JSON] = field(default_factory=lambda: deque(maxlen=HISTORY_LIMIT))
    connection: GatewayConnection | None = None
    ready: bool = False

    def owns_guild(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.shard_count) == self.shard_id

    def dispatch(self, event: str, data: Any) -> JSON:
        """Number the event, keep it for RESUME, and send it if a connection is attached."""
        self.seq += 1
        frame: JSON = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.history.append(frame)
        if self.connection is not None:
            self.connection.send(frame)
        return frame

    def missed_since(self, seq: int) -> list[JSON] | None:
        """Dispatches after `seq`, or None when some of them are no longer kept."""
        if self.history and self.history[0]["s"] > seq + 1:
            return None
        return [frame for frame in self.history if frame["s"] > seq]

    def dispatched(self, event: str) -> list[JSON]:
        return [frame["d"] for frame in self.history if frame["t"] == event]
