"""REST routes about the application itself: users/@me, the gateway, application commands."""

from __future__ import annotations

import math

from aiohttp import web

from .core import EmulatorCore
from .errors import MISSING_ACCESS, UNKNOWN_GUILD, UNKNOWN_USER, DiscordHTTPError, not_found
from .guards import body_of
from .middleware import principal_of
from .models import JSON, Guild, iso_time
from .oauth import Grant
from .responses import json_response
from .routing import Auth, RouteTable

GUILDS_PER_SHARD = 2500


class ApplicationRoutes:
    def __init__(self, core: EmulatorCore) -> None:
        self._core = core

    def register(self, table: RouteTable) -> None:
        table.api("GET", "/users/@me", self.current_user, Auth.BOT_OR_BEARER)
        table.api("GET", "/users/@me/guilds", self.current_user_guilds, Auth.BOT_OR_BEARER)
        table.api("GET", "/users/{user_id}", self.user)
        table.api("POST", "/users/@me/channels", self.open_dm)
        table.api("GET", "/oauth2/@me", self.current_authorization, Auth.BEARER)
        table.api("GET", "/oauth2/applications/@me", self.application)
        table.api("GET", "/applications/@me", self.application)
        table.api("GET", "/gateway", self.gateway, Auth.NONE)
        table.api("GET", "/gateway/bot", self.gateway_bot)
        table.api("GET", "/applications/{application_id}/commands", self.list_global)
        table.api("PUT", "/applications/{application_id}/commands", self.overwrite_global)
        guild_commands = "/applications/{application_id}/guilds/{guild_id}/commands"
        table.api("GET", guild_commands, self.list_guild)
        table.api("PUT", guild_commands, self.overwrite_guild)

    async def current_user(self, request: web.Request) -> web.Response:
        grant = self._user_grant(request, "identify")
        if grant is None:
            user = self._core.state.bot_user.to_payload()
            user.update(verified=True, mfa_enabled=False)
            return json_response(user)
        payload = self._core.state.user(grant.user_id).to_payload()
        payload.update(locale="en-US", mfa_enabled=False, premium_type=0)
        return json_response(payload)

    async def current_user_guilds(self, request: web.Request) -> web.Response:
        grant = self._user_grant(request, "guilds")
        user_id = self._core.state.bot_user.id if grant is None else grant.user_id
        guilds = self._core.state.guilds_of(user_id)
        return json_response([_partial_guild(guild, user_id) for guild in guilds])

    async def user(self, request: web.Request) -> web.Response:
        raw_id = request.match_info["user_id"]
        user = self._core.state.users.get(int(raw_id)) if raw_id.isdigit() else None
        if user is None:
            raise not_found(UNKNOWN_USER, "User")
        return json_response(user.to_payload())

    async def open_dm(self, request: web.Request) -> web.Response:
        body = body_of(request)
        payload = body.payload if isinstance(body.payload, dict) else {}
        raw_id = str(payload.get("recipient_id", ""))
        if not raw_id.isdigit() or int(raw_id) not in self._core.state.users:
            raise not_found(UNKNOWN_USER, "User")
        return json_response(self._core.state.open_dm(int(raw_id)).to_payload())

    async def current_authorization(self, request: web.Request) -> web.Response:
        grant = self._user_grant(request, None)
        if grant is None:
            raise DiscordHTTPError(401, 0, "401: Unauthorized")
        return json_response(
            {
                "application": self._core.state.application.to_payload(),
                "scopes": list(grant.scopes),
                "expires": iso_time(grant.expires_at),
                "user": self._core.state.user(grant.user_id).to_payload(),
            }
        )

    async def application(self, request: web.Request) -> web.Response:
        return json_response(self._core.state.application.to_payload())

    async def gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self._core.gateway.gateway_url})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        shards = max(1, math.ceil(len(self._core.state.guilds) / GUILDS_PER_SHARD))
        return json_response(
            {
                "url": self._core.gateway.gateway_url,
                "shards": shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 86_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def list_global(self, request: web.Request) -> web.Response:
        self._own_application(request)
        return json_response(self._core.state.commands(None))

    async def overwrite_global(self, request: web.Request) -> web.Response:
        self._own_application(request)
        commands = body_of(request).payload or []
        return json_response(self._core.state.overwrite_commands(None, commands))

    async def list_guild(self, request: web.Request) -> web.Response:
        self._own_application(request)
        return json_response(self._core.state.commands(self._bot_guild(request).id))

    async def overwrite_guild(self, request: web.Request) -> web.Response:
        self._own_application(request)
        guild = self._bot_guild(request)
        commands = body_of(request).payload or []
        return json_response(self._core.state.overwrite_commands(guild.id, commands))

    def _user_grant(self, request: web.Request, scope: str | None) -> Grant | None:
        """The OAuth2 grant behind a Bearer call (None for the bot), checked for `scope`."""
        principal = principal_of(request)
        if principal is None or principal.grant is None:
            return None
        if scope is not None and scope not in principal.grant.scopes:
            raise DiscordHTTPError(401, 0, "401: Unauthorized")
        return principal.grant

    def _own_application(self, request: web.Request) -> None:
        if request.match_info["application_id"] != str(self._core.state.application.id):
            raise DiscordHTTPError(403, MISSING_ACCESS, "Missing Access")

    def _bot_guild(self, request: web.Request) -> Guild:
        raw_id = request.match_info["guild_id"]
        guild = self._core.state.guilds.get(int(raw_id)) if raw_id.isdigit() else None
        if guild is None:
            raise not_found(UNKNOWN_GUILD, "Guild")
        if self._core.state.bot_user.id not in guild.members:
            raise DiscordHTTPError(403, MISSING_ACCESS, "Missing Access")
        return guild


def _partial_guild(guild: Guild, user_id: int) -> JSON:
    """A guild as GET /users/@me/guilds lists it, with the user's permissions as a string."""
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "banner": None,
        "owner": guild.owner_id == user_id,
        "permissions": str(guild.permissions_of(user_id)),
        "features": [],
    }
