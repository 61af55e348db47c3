"""The emulated Discord's world: application, users, guilds, channels, messages, commands."""

from __future__ import annotations

import copy
from typing import Any, TypeVar
from urllib.parse import quote

from .clock import Clock
from .messages import Attachment, Message
from .models import (
    DEFAULT_MEMBER_PERMISSIONS,
    JSON,
    Application,
    Channel,
    DMChannel,
    Guild,
    Member,
    Role,
    User,
)
from .snowflakes import SnowflakeFactory

T = TypeVar("T")


class UnknownObjectError(LookupError):
    """A test referred to a guild, channel, user or message that does not exist."""


class EmulatorState:
    """In-memory store; every mutation goes through a method so ids and invariants stay right."""

    def __init__(
        self,
        clock: Clock,
        *,
        application_name: str,
        bot_username: str,
        client_secret: str,
        redirect_uris: tuple[str, ...],
    ) -> None:
        self.clock = clock
        self.ids = SnowflakeFactory(clock)
        self.users: dict[int, User] = {}
        self.bot_user = self.create_user(bot_username, bot=True)
        owner = self.create_user("emulator-owner")
        self.application = Application(
            id=self.bot_user.id,
            name=application_name,
            bot=self.bot_user,
            owner=owner,
            client_secret=client_secret,
            redirect_uris=list(redirect_uris),
        )
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.dm_channels: dict[int, DMChannel] = {}
        self.messages: dict[int, Message] = {}
        self.attachments: dict[int, Attachment] = {}
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}

    # -- users, guilds, channels, members -------------------------------------------------

    def create_user(
        self,
        username: str,
        *,
        global_name: str | None = None,
        bot: bool = False,
        user_id: int | None = None,
    ) -> User:
        user = User(
            id=user_id or self.ids.next(), username=username, global_name=global_name, bot=bot
        )
        self.users[user.id] = user
        return user

    def create_guild(
        self,
        name: str,
        *,
        guild_id: int | None = None,
        owner_id: int | None = None,
        bot_permissions: int = DEFAULT_MEMBER_PERMISSIONS,
        preferred_locale: str = "en-US",
    ) -> Guild:
        gid = guild_id or self.ids.next()
        if gid in self.guilds:
            raise ValueError(f"guild {gid} already exists")
        now = self.clock.now()
        guild = Guild(
            id=gid,
            name=name,
            owner_id=owner_id or self.application.owner.id,
            created_at=now,
            preferred_locale=preferred_locale,
        )
        guild.roles[gid] = Role(id=gid, name="@everyone", permissions=DEFAULT_MEMBER_PERMISSIONS)
        self.guilds[gid] = guild
        bot_role = self.create_role(gid, self.bot_user.username, bot_permissions)
        guild.members[self.bot_user.id] = Member(self.bot_user, [bot_role.id], now)
        guild.members[guild.owner_id] = Member(self.user(guild.owner_id), [], now)
        return guild

    def create_role(self, guild_id: int, name: str, permissions: int) -> Role:
        guild = self.guild(guild_id)
        role = Role(
            id=self.ids.next(), name=name, permissions=permissions, position=len(guild.roles)
        )
        guild.roles[role.id] = role
        return role

    def create_channel(
        self, guild_id: int, name: str, *, channel_type: int = 0, channel_id: int | None = None
    ) -> Channel:
        guild = self.guild(guild_id)
        channel = Channel(
            id=channel_id or self.ids.next(),
            guild_id=guild_id,
            name=name.lstrip("#"),
            type=channel_type,
            position=len(guild.channels),
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_member(
        self,
        guild_id: int,
        user: User,
        *,
        role_ids: list[int] | None = None,
        nick: str | None = None,
    ) -> Member:
        guild = self.guild(guild_id)
        for role_id in role_ids or []:
            if role_id not in guild.roles:
                raise UnknownObjectError(f"role {role_id} is not in guild {guild_id}")
        member = Member(
            user=user, role_ids=list(role_ids or []), joined_at=self.clock.now(), nick=nick
        )
        guild.members[user.id] = member
        return member

    def guild(self, guild_id: int) -> Guild:
        return _lookup(self.guilds, guild_id, "guild")

    def channel(self, channel_id: int) -> Channel:
        return _lookup(self.channels, channel_id, "channel")

    def message_target(self, channel_id: int) -> Channel | DMChannel:
        """A channel a message can be posted in: a server's, or one of the bot's DMs."""
        if channel_id in self.dm_channels:
            return self.dm_channels[channel_id]
        return self.channel(channel_id)

    def delete_channel(self, channel_id: int) -> Channel:
        channel = _lookup(self.channels, channel_id, "channel")
        del self.channels[channel_id]
        del self.guild(channel.guild_id).channels[channel_id]
        return channel

    def open_dm(self, user_id: int) -> DMChannel:
        """The bot's DM channel with a user, created on first use like Discord does."""
        user = self.user(user_id)
        existing = next((c for c in self.dm_channels.values() if c.recipient.id == user_id), None)
        if existing is not None:
            return existing
        channel = DMChannel(id=self.ids.next(), recipient=user)
        self.dm_channels[channel.id] = channel
        return channel

    def user(self, user_id: int) -> User:
        return _lookup(self.users, user_id, "user")

    def guilds_of(self, user_id: int) -> list[Guild]:
        return [guild for guild in self.guilds.values() if user_id in guild.members]

    # -- messages and files -----------------------------------------------------------------

    def store_attachment(
        self,
        filename: str,
        content_type: str,
        data: bytes,
        *,
        folder: str,
        description: str | None = None,
        ephemeral: bool = False,
    ) -> Attachment:
        attachment_id = self.ids.next()
        attachment = Attachment(
            id=attachment_id,
            filename=filename,
            content_type=content_type,
            data=data,
            url_path=f"/{folder}/{attachment_id}/{quote(filename)}",
            description=description,
            ephemeral=ephemeral,
        )
        self.attachments[attachment_id] = attachment
        return attachment

    def add_message(self, message: Message) -> Message:
        self.messages[message.id] = message
        return message

    def message(self, message_id: int) -> Message:
        message = _lookup(self.messages, message_id, "message")
        if message.deleted:
            raise UnknownObjectError(f"message {message_id} was deleted")
        return message

    def channel_messages(
        self, channel_id: int, *, include_ephemeral: bool = False
    ) -> list[Message]:
        """A channel's live messages, oldest first; ephemeral ones only on request."""
        return [
            m
            for m in self.messages.values()
            if m.channel_id == channel_id
            and not m.deleted
            and (include_ephemeral or not m.ephemeral)
        ]

    # -- application commands ---------------------------------------------------------------

    def overwrite_commands(self, guild_id: int | None, requested: list[JSON]) -> list[JSON]:
        """Bulk overwrite: keeps the id of a command whose name and type are unchanged."""
        existing = {(c["name"], c["type"]): c for c in self.commands(guild_id)}
        stored = [self._command_record(guild_id, body, existing) for body in requested]
        if guild_id is None:
            self.global_commands = stored
        else:
            self.guild_commands[guild_id] = stored
        return copy.deepcopy(stored)

    def commands(self, guild_id: int | None) -> list[JSON]:
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.get(guild_id, [])

    def find_command(self, name: str, guild_id: int | None, command_type: int = 1) -> JSON | None:
        """What a member can invoke in a guild: its guild commands shadow global ones."""
        scopes = ([guild_id] if guild_id is not None else []) + [None]
        for scope in scopes:
            for command in self.commands(scope):
                if command["name"] == name and command["type"] == command_type:
                    return command
        return None

    def _command_record(
        self, guild_id: int | None, body: JSON, existing: dict[tuple[Any, Any], JSON]
    ) -> JSON:
        command_type = body.get("type") or 1
        previous = existing.get((body["name"], command_type))
        record: JSON = {
            "id": previous["id"] if previous else str(self.ids.next()),
            "application_id": str(self.application.id),
            "version": str(self.ids.next()),
            "type": command_type,
            "name": body["name"],
            "description": body.get("description") or "",
            "options": copy.deepcopy(body.get("options") or []),
            "default_member_permissions": _optional_str(body.get("default_member_permissions")),
            "nsfw": bool(body.get("nsfw", False)),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types") or [0],
            "name_localizations": body.get("name_localizations"),
            "description_localizations": body.get("description_localizations"),
        }
        if guild_id is not None:
            record["guild_id"] = str(guild_id)
        return record


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _lookup(table: dict[int, T], key: int, kind: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise UnknownObjectError(f"unknown {kind} {key}") from None
