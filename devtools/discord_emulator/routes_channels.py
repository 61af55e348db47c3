"""Guilds, channels and channel messages as the bot sees them, plus the attachment CDN."""

from __future__ import annotations

from aiohttp import web

from .core import EmulatorCore
from .errors import (
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_MESSAGE,
    DiscordHTTPError,
    not_found,
)
from .guards import body_of, check_message_body
from .messages import Message
from .models import ATTACH_FILES, SEND_MESSAGES, VIEW_CHANNEL, Channel, DMChannel, Guild
from .responses import json_response, no_content
from .routing import RouteTable

MANAGE_MESSAGES = 1 << 13
CANNOT_EDIT_OTHERS = 50005


class ChannelRoutes:
    def __init__(self, core: EmulatorCore) -> None:
        self._core = core

    def register(self, table: RouteTable) -> None:
        table.api("GET", "/guilds/{guild_id}", self.get_guild)
        table.api("GET", "/guilds/{guild_id}/channels", self.guild_channels)
        table.api("GET", "/guilds/{guild_id}/members/{user_id}", self.guild_member)
        table.api("GET", "/channels/{channel_id}", self.get_channel)
        table.api("GET", "/channels/{channel_id}/messages", self.list_messages)
        table.api("POST", "/channels/{channel_id}/messages", self.create_message)
        one = "/channels/{channel_id}/messages/{message_id}"
        table.api("GET", one, self.get_message)
        table.api("PATCH", one, self.edit_message)
        table.api("DELETE", one, self.delete_message)
        table.raw("GET", "/attachments/{folder}/{attachment_id}/{filename}", self.download)
        table.raw(
            "GET", "/ephemeral-attachments/{folder}/{attachment_id}/{filename}", self.download
        )

    async def get_guild(self, request: web.Request) -> web.Response:
        return json_response(self._guild(request).to_payload())

    async def guild_channels(self, request: web.Request) -> web.Response:
        channels = self._guild(request).channels.values()
        return json_response([channel.to_payload() for channel in channels])

    async def guild_member(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        member = guild.members.get(_snowflake(request, "user_id"))
        if member is None:
            raise not_found(UNKNOWN_MEMBER, "Member")
        return json_response(member.to_payload())

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(self._channel(request, VIEW_CHANNEL).to_payload())

    async def list_messages(self, request: web.Request) -> web.Response:
        channel = self._channel(request, VIEW_CHANNEL)
        messages = self._core.state.channel_messages(channel.id)
        if before := request.query.get("before"):
            messages = [m for m in messages if m.id < int(before)]
        if after := request.query.get("after"):
            messages = [m for m in messages if m.id > int(after)]
        limit = min(100, max(1, int(request.query.get("limit", "50"))))
        newest_first = sorted(messages, key=lambda m: m.id, reverse=True)[:limit]
        return json_response([self._core.messages.payload(m) for m in newest_first])

    async def create_message(self, request: web.Request) -> web.Response:
        body = body_of(request)
        needed = SEND_MESSAGES | (ATTACH_FILES if body.files else 0)
        channel = self._channel(request, VIEW_CHANNEL | needed)
        check_message_body(self._core, request, body)
        message = self._core.messages.create(channel.id, self._core.state.bot_user, body)
        return json_response(self._core.messages.payload(message))

    async def get_message(self, request: web.Request) -> web.Response:
        return json_response(self._core.messages.payload(self._message(request)))

    async def edit_message(self, request: web.Request) -> web.Response:
        message = self._message(request)
        if message.author.id != self._core.state.bot_user.id:
            raise DiscordHTTPError(
                403, CANNOT_EDIT_OTHERS, "Cannot edit a message authored by another user"
            )
        body = body_of(request)
        check_message_body(self._core, request, body)
        self._core.messages.edit(message, body)
        return json_response(self._core.messages.payload(message))

    async def delete_message(self, request: web.Request) -> web.Response:
        message = self._message(request)
        if message.author.id != self._core.state.bot_user.id:
            self._require(self._core.state.guild(message.guild_id or 0), MANAGE_MESSAGES)
        self._core.messages.delete(message)
        return no_content()

    async def download(self, request: web.Request) -> web.Response:
        raw_id = request.match_info["attachment_id"]
        attachment = self._core.state.attachments.get(int(raw_id)) if raw_id.isdigit() else None
        if attachment is None or attachment.filename != request.match_info["filename"]:
            raise web.HTTPNotFound(text="404: Not Found")
        return web.Response(body=attachment.data, content_type=attachment.content_type)

    def _guild(self, request: web.Request) -> Guild:
        guild = self._core.state.guilds.get(_snowflake(request, "guild_id"))
        if guild is None:
            raise not_found(UNKNOWN_GUILD, "Guild")
        if self._core.state.bot_user.id not in guild.members:
            raise DiscordHTTPError(403, MISSING_ACCESS, "Missing Access")
        return guild

    def _channel(self, request: web.Request, permissions: int) -> Channel | DMChannel:
        channel_id = _snowflake(request, "channel_id")
        if channel_id in self._core.state.dm_channels:
            # The bot's own DM: no server, no permissions to check.
            return self._core.state.dm_channels[channel_id]
        channel = self._core.state.channels.get(channel_id)
        if channel is None:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        guild = self._core.state.guild(channel.guild_id)
        if self._core.state.bot_user.id not in guild.members:
            raise DiscordHTTPError(403, MISSING_ACCESS, "Missing Access")
        self._require(guild, permissions)
        return channel

    def _require(self, guild: Guild, permissions: int) -> None:
        if guild.permissions_of(self._core.state.bot_user.id) & permissions != permissions:
            raise DiscordHTTPError(403, MISSING_PERMISSIONS, "Missing Permissions")

    def _message(self, request: web.Request) -> Message:
        channel = self._channel(request, VIEW_CHANNEL)
        message = self._core.state.messages.get(_snowflake(request, "message_id"))
        # Ephemeral messages exist only for their interaction, never in channel routes.
        if (
            message is None
            or message.deleted
            or message.ephemeral
            or message.channel_id != channel.id
        ):
            raise not_found(UNKNOWN_MESSAGE, "Message")
        return message


def _snowflake(request: web.Request, name: str) -> int:
    raw = request.match_info[name]
    return int(raw) if raw.isdigit() else 0
