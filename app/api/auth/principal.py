"""The caller of an API request, with what they may see."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.accounts import User
from app.core.actors import Actor

MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3


@dataclass(frozen=True, slots=True)
class Principal:
    discord_id: int
    username: str
    # Servers the user is a member of, from the snapshot taken at login or refresh.
    guild_ids: frozenset[int]
    # Servers where they own it, are an administrator, or hold Manage Server.
    admin_of: frozenset[int]
    # Cookie-authenticated requests need a CSRF token on unsafe methods; Bearer ones don't.
    via_cookie: bool
    # The session (refresh-token family) the access token was issued for; logout ends it.
    session_id: str

    @classmethod
    def of(cls, user: User, *, via_cookie: bool, session_id: str) -> Principal:
        return cls(
            discord_id=user.discord_id,
            username=user.username,
            guild_ids=frozenset(g.guild_id for g in user.guilds),
            admin_of=frozenset(
                g.guild_id
                for g in user.guilds
                if g.owner or g.permissions & (MANAGE_GUILD | ADMINISTRATOR)
            ),
            via_cookie=via_cookie,
            session_id=session_id,
        )

    def is_member_of(self, guild_id: int) -> bool:
        return guild_id in self.guild_ids

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.discord_id, admin_of=self.admin_of, member_of=self.guild_ids)
