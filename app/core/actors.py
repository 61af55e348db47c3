"""Who is asking, and what they may touch: the access rules of both adapters.

- **See a match**: its player, or any member of its server. A match of a server you are not
  in is "not found", never "forbidden": a refusal would confirm that it exists.
- **Change a match** (correct, delete): its player, or an admin (Manage Server) of its server.
- **A server's reads** (leaderboard, /ask): its members; **its settings**: its admins. To a
  non-member, the server is "not found" too.

The read layer (`app.core.reads`) applies these to every lookup, the handlers to every change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.errors import Forbidden, NotFound
from app.core.i18n import N_, _


@dataclass(frozen=True, slots=True)
class Actor:
    """A Discord user acting in Debrief: the servers they are known to be a member of, and
    those where they hold Manage Server.

    Each adapter knows membership its own way: the API from the server snapshot taken at
    login, the bot only for the server the interaction came from.
    """

    user_id: int
    admin_of: frozenset[int] = field(default_factory=frozenset)
    member_of: frozenset[int] = field(default_factory=frozenset)

    def is_admin_of(self, guild_id: int) -> bool:
        return guild_id in self.admin_of

    def is_member_of(self, guild_id: int) -> bool:
        # Managing a server implies belonging to it.
        return guild_id in self.member_of or guild_id in self.admin_of


class NotAMember(NotFound):
    user_message = N_("No such server, or you are not a member of it.")


def can_see(actor: Actor, *, owner_id: int, guild_id: int) -> bool:
    """A player sees their own matches anywhere, and every match of the servers they are in."""
    return actor.user_id == owner_id or actor.is_member_of(guild_id)


def can_change(actor: Actor, *, owner_id: int, guild_id: int) -> bool:
    """A player manages their own matches; a server admin manages any match in their server."""
    return actor.user_id == owner_id or actor.is_admin_of(guild_id)


def ensure_owner_or_admin(actor: Actor, *, owner_id: int, guild_id: int) -> None:
    if not can_change(actor, owner_id=owner_id, guild_id=guild_id):
        raise Forbidden(_("Only the player who logged this match or a server admin can change it."))


def ensure_member(actor: Actor, guild_id: int) -> None:
    if not actor.is_member_of(guild_id):
        raise NotAMember


def ensure_admin(actor: Actor, guild_id: int) -> None:
    """Manage Server in that server (a change's check: a non-member is simply not an admin)."""
    if not actor.is_admin_of(guild_id):
        raise Forbidden(_("You need the Manage Server permission for that."))


def ensure_member_admin(actor: Actor, guild_id: int) -> None:
    """Manage Server in that server; to a non-member, the server was not found."""
    ensure_member(actor, guild_id)
    ensure_admin(actor, guild_id)
