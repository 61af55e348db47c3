"""Who is asking, and what they may touch."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.errors import Forbidden


@dataclass(frozen=True, slots=True)
class Actor:
    """A Discord user acting in Debrief, with the servers where they hold Manage Server."""

    user_id: int
    admin_of: frozenset[int] = field(default_factory=frozenset)

    def is_admin_of(self, guild_id: int) -> bool:
        return guild_id in self.admin_of


def ensure_owner_or_admin(actor: Actor, *, owner_id: int, guild_id: int) -> None:
    """A player manages their own matches; a server admin manages any match in their server."""
    if actor.user_id != owner_id and not actor.is_admin_of(guild_id):
        raise Forbidden("Only the player who logged this match or a server admin can change it.")


def ensure_admin(actor: Actor, guild_id: int) -> None:
    if not actor.is_admin_of(guild_id):
        raise Forbidden("You need the Manage Server permission for that.")
