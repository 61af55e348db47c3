"""The driver as a small JSON API under /_emulator, for a web console or another process.

    GET    /state                              application, guilds, commands, sessions
    POST   /guilds {name, id?}                 POST /guilds/{id}/channels {name}
    POST   /guilds/{id}/members {username, permissions?, role_ids?, user_id?}
    POST   /attachments {filename, content_type, data_base64, description?}
    POST   /interactions/command {name, member_id, channel_id, subcommand?, options?}
    POST   /interactions/component {message_id, custom_id, member_id, values?}
    POST   /interactions/{id}/modal {values, member_id?}
    GET    /interactions/{id}?wait=ack|followup|original|modal&timeout=S
    GET    /channels/{id}/messages?include_ephemeral=1
    GET    /requests?method=&path=&status=     GET|DELETE /violations
    POST   /faults/rest {status, count?, method?, path?, retry_after?, global?}
    POST   /faults/latency {seconds, method?, path?, count?}     DELETE /faults
    POST   /gateway/abort|close|reconnect|invalidate {shard_id?, code?, resumable?}
    POST   /clock/advance {seconds}            POST /oauth/user {user_id}

Mistakes in a request (unknown ids, invalid invocations) answer 400 or 404 with
{"error": "..."}; control calls never appear in the request log.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .command_options import InvocationError
from .control_views import interaction_view, message_views, state_view
from .core import EmulatorCore
from .driver import NotConnectedError, TestDriver
from .handles import InteractionHandle
from .responses import json_response
from .routing import CONTROL_PREFIX
from .state import UnknownObjectError

Handler = Callable[[web.Request], Awaitable[web.Response]]
WAITS = {"ack", "followup", "original", "modal"}


class ControlRoutes:
    def __init__(self, core: EmulatorCore, driver: TestDriver) -> None:
        self._core = core
        self._driver = driver

    def register(self, router: web.UrlDispatcher) -> None:
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/state", self.state),
            ("POST", "/guilds", self.create_guild),
            ("POST", "/guilds/{guild_id}/channels", self.create_channel),
            ("POST", "/guilds/{guild_id}/members", self.create_member),
            ("POST", "/attachments", self.register_attachment),
            ("POST", "/interactions/command", self.invoke_command),
            ("POST", "/interactions/component", self.use_component),
            ("POST", "/interactions/{interaction_id}/modal", self.submit_modal),
            ("GET", "/interactions/{interaction_id}", self.interaction),
            ("GET", "/channels/{channel_id}/messages", self.channel_messages),
            ("GET", "/requests", self.requests),
            ("GET", "/violations", self.violations),
            ("DELETE", "/violations", self.clear_violations),
            ("POST", "/faults/rest", self.add_rest_fault),
            ("POST", "/faults/latency", self.add_latency),
            ("DELETE", "/faults", self.clear_faults),
            ("POST", "/gateway/{action}", self.gateway_fault),
            ("POST", "/clock/advance", self.advance_clock),
            ("POST", "/oauth/user", self.set_oauth_user),
        ]
        for method, path, handler in routes:
            router.add_route(method, CONTROL_PREFIX + path, _guarded(handler))

    async def state(self, request: web.Request) -> web.Response:
        return json_response(state_view(self._core))

    async def create_guild(self, request: web.Request) -> web.Response:
        body = await _json(request)
        guild = self._driver.create_guild(
            body.get("name", "Sandbox"), guild_id=_optional_int(body.get("id"))
        )
        return json_response({"id": str(guild.id), "name": guild.name}, status=201)

    async def create_channel(self, request: web.Request) -> web.Response:
        body = await _json(request)
        channel = self._driver.create_channel(
            _path_int(request, "guild_id"), body.get("name", "general")
        )
        return json_response(channel.to_payload(), status=201)

    async def create_member(self, request: web.Request) -> web.Response:
        body = await _json(request)
        member = self._driver.create_member(
            _path_int(request, "guild_id"),
            body["username"],
            permissions=_optional_int(body.get("permissions")),
            role_ids=[int(role) for role in body.get("role_ids", [])],
            user_id=_optional_int(body.get("user_id")),
        )
        return json_response(member.to_payload(), status=201)

    async def register_attachment(self, request: web.Request) -> web.Response:
        body = await _json(request)
        try:
            data = base64.b64decode(body["data_base64"], validate=True)
        except binascii.Error as error:
            raise InvocationError("data_base64 is not valid base64") from error
        payload = self._driver.register_attachment(
            data,
            body["filename"],
            body.get("content_type", "application/octet-stream"),
            description=body.get("description"),
        )
        return json_response(payload, status=201)

    async def invoke_command(self, request: web.Request) -> web.Response:
        body = await _json(request)
        handle = self._driver.invoke_command(
            body["name"],
            member=int(body["member_id"]),
            channel_id=int(body["channel_id"]),
            subcommand=body.get("subcommand"),
            options=body.get("options") or {},
            locale=body.get("locale", "en-US"),
        )
        return json_response(interaction_view(self._core, handle.record), status=201)

    async def use_component(self, request: web.Request) -> web.Response:
        body = await _json(request)
        message_id, custom_id = int(body["message_id"]), body["custom_id"]
        member = int(body["member_id"])
        if body.get("values") is None:
            handle = self._driver.click_button(message_id, custom_id, member=member)
        else:
            handle = self._driver.choose_options(
                message_id, custom_id, body["values"], member=member
            )
        return json_response(interaction_view(self._core, handle.record), status=201)

    async def submit_modal(self, request: web.Request) -> web.Response:
        body = await _json(request)
        answered = self._handle(request)
        member = _optional_int(body.get("member_id"))
        handle = self._driver.submit_modal(answered, body.get("values") or {}, member=member)
        return json_response(interaction_view(self._core, handle.record), status=201)

    async def interaction(self, request: web.Request) -> web.Response:
        """?wait=ack|followup|original|modal&timeout=S long-polls until the bot got there."""
        handle = self._handle(request)
        wait = request.query.get("wait")
        timed_out = False
        if wait is not None:
            if wait not in WAITS:
                raise InvocationError(f"wait must be one of {sorted(WAITS)}")
            try:
                await _wait(handle, wait, float(request.query.get("timeout", "5")))
            except TimeoutError:
                timed_out = True
        return json_response(
            {**interaction_view(self._core, handle.record), "timed_out": timed_out}
        )

    async def channel_messages(self, request: web.Request) -> web.Response:
        include = request.query.get("include_ephemeral") in ("1", "true")
        messages = self._driver.channel_messages(
            _path_int(request, "channel_id"), include_ephemeral=include
        )
        return json_response(message_views(self._core, messages))

    async def requests(self, request: web.Request) -> web.Response:
        status = _optional_int(request.query.get("status"))
        entries = self._core.request_log.matching(
            request.query.get("method"), request.query.get("path"), status
        )
        return json_response([vars(entry) for entry in entries])

    async def violations(self, request: web.Request) -> web.Response:
        return json_response(
            [
                {
                    "method": v.method,
                    "path": v.path,
                    "operation_id": v.operation_id,
                    "source": v.source,
                    "json_path": v.json_path,
                    "description": v.describe(),
                }
                for v in self._core.violations.items
            ]
        )

    async def clear_violations(self, request: web.Request) -> web.Response:
        return json_response({"cleared": len(self._core.violations.take())})

    async def add_rest_fault(self, request: web.Request) -> web.Response:
        body = await _json(request)
        self._core.faults.fail(
            int(body["status"]),
            count=_optional_int(body.get("count", 1)),
            method=body.get("method"),
            path=body.get("path"),
            retry_after=float(body.get("retry_after", 0.1)),
            is_global=bool(body.get("global", False)),
        )
        return json_response({"pending": len(self._core.faults.pending)}, status=201)

    async def add_latency(self, request: web.Request) -> web.Response:
        body = await _json(request)
        self._core.faults.add_latency(
            float(body["seconds"]),
            method=body.get("method"),
            path=body.get("path"),
            count=_optional_int(body.get("count")),
        )
        return json_response({}, status=201)

    async def clear_faults(self, request: web.Request) -> web.Response:
        self._core.faults.clear()
        return json_response({})

    async def gateway_fault(self, request: web.Request) -> web.Response:
        body = await _json(request)
        shard_id = _optional_int(body.get("shard_id"))
        gateway, action = self._core.gateway, request.match_info["action"]
        if action == "abort":
            gateway.abort(shard_id)
        elif action == "close":
            await gateway.close(int(body.get("code", 4000)), shard_id)
        elif action == "reconnect":
            gateway.request_reconnect(shard_id)
        elif action == "invalidate":
            gateway.invalidate_session(
                resumable=bool(body.get("resumable", False)), shard_id=shard_id
            )
        else:
            raise InvocationError("action must be abort, close, reconnect or invalidate")
        return json_response({"action": action})

    async def advance_clock(self, request: web.Request) -> web.Response:
        body = await _json(request)
        self._core.clock.advance(float(body["seconds"]))
        return json_response({"now": self._core.clock.now()})

    async def set_oauth_user(self, request: web.Request) -> web.Response:
        body = await _json(request)
        user = self._core.state.user(int(body["user_id"]))
        self._driver.set_oauth_user(user)
        return json_response({"user_id": str(user.id)})

    def _handle(self, request: web.Request) -> InteractionHandle:
        record = self._core.interactions.get(_path_int(request, "interaction_id"))
        return InteractionHandle(record, self._core.state, self._core.notifier)


async def _wait(handle: InteractionHandle, wait: str, timeout: float) -> None:  # noqa: ASYNC109
    if wait == "ack":
        await handle.wait_for_ack(timeout)
    elif wait == "followup":
        await handle.wait_for_followup(timeout=timeout)
    elif wait == "original":
        await handle.wait_for_original(timeout=timeout)
    else:
        await handle.wait_for_modal(timeout)


def _guarded(handler: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except UnknownObjectError as error:
            return json_response({"error": str(error)}, status=404)
        except KeyError as error:
            return json_response({"error": f"missing field {error}"}, status=400)
        except LookupError as error:
            return json_response({"error": str(error)}, status=404)
        except (InvocationError, NotConnectedError, ValueError, TypeError) as error:
            return json_response({"error": str(error)}, status=400)

    return guarded


async def _json(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    body = await request.json()
    if not isinstance(body, dict):
        raise InvocationError("the request body must be a JSON object")
    return body


def _path_int(request: web.Request, name: str) -> int:
    return int(request.match_info[name])


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)
