"""The emulator's records of Discord objects and their wire payloads.

Payloads follow Discord's v10 shapes closely enough for discord.py to build its models from
them; ids are sent as strings, permission bit sets as decimal strings, times as ISO 8601.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

# Every permission bit the spec allows (default_member_permissions' maximum).
ALL_PERMISSIONS = (1 << 54) - 1
ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
# What @everyone may do in a freshly created server.
DEFAULT_MEMBER_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
)


def iso_time(unix_seconds: float) -> str:
    return datetime.datetime.fromtimestamp(unix_seconds, datetime.UTC).isoformat()


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass
class Application:
    id: int
    name: str
    bot: User
    owner: User
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)
    flags: int = 0

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "description": "Local Discord emulator application",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": self.flags,
            "owner": self.owner.to_payload(),
            "team": None,
            "bot": self.bot.to_payload(),
            "redirect_uris": list(self.redirect_uris),
            "interactions_endpoint_url": None,
            "rpc_origins": [],
            "tags": [],
            "approximate_guild_count": 0,
        }


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass
class Channel:
    id: int
    guild_id: int
    name: str
    type: int = 0
    position: int = 0

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "parent_id": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class DMChannel:
    """The bot's private channel with one user (created by POST /users/@me/channels)."""

    id: int
    recipient: User
    type: int = 1
    # Messages in a DM belong to no server.
    guild_id: None = None

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": self.type,
            "recipients": [self.recipient.to_payload()],
            "last_message_id": None,
            "flags": 0,
        }


@dataclass
class Member:
    user: User
    role_ids: list[int]
    joined_at: float
    nick: str | None = None

    def to_payload(self) -> JSON:
        return {
            "user": self.user.to_payload(),
            "roles": [str(role_id) for role_id in self.role_ids],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": iso_time(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    created_at: float
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    # The server's language in Discord (its "preferred locale", set by its admins).
    preferred_locale: str = "en-US"

    def permissions_of(self, user_id: int) -> int:
        """A member's guild-wide permissions: owner and administrators get every bit."""
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        if member is None:
            return 0
        bits = self.roles[self.id].permissions  # @everyone shares the guild's id
        for role_id in member.role_ids:
            bits |= self.roles[role_id].permissions
        return ALL_PERMISSIONS if bits & ADMINISTRATOR else bits

    def member_payload(self, user_id: int) -> JSON:
        """A member as interactions carry it: with its permission bits as a string."""
        payload = self.members[user_id].to_payload()
        payload["permissions"] = str(self.permissions_of(user_id))
        return payload

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "region": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_progress_bar_enabled": False,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "preferred_locale": self.preferred_locale,
            "features": [],
            "roles": [role.to_payload() for role in self.roles.values()],
            "emojis": [],
            "stickers": [],
        }

    def create_payload(self, bot_user_id: int, joined_at: float) -> JSON:
        """GUILD_CREATE's full guild: channels, the bot's own member, no presences."""
        payload = self.to_payload()
        bot_member = self.members.get(bot_user_id)
        bot_members = [bot_member.to_payload()] if bot_member else []
        payload.update(
            joined_at=iso_time(joined_at),
            large=False,
            member_count=len(self.members),
            channels=[channel.to_payload() for channel in self.channels.values()],
            members=bot_members,
            threads=[],
            voice_states=[],
            presences=[],
            stage_instances=[],
            guild_scheduled_events=[],
            soundboard_sounds=[],
        )
        return payload
