"""Who may see what: your own matches anywhere, and everything of the servers you belong to.

Something in a server you are not in is "not found", never "forbidden": a 403 would confirm
that it exists.
"""

from __future__ import annotations

from app.api.auth.principal import Principal
from app.core.errors import Forbidden, NotFound
from app.core.matches import Match
from app.core.ports import MatchRepository


class NotAMember(NotFound):
    user_message = "No such server, or you are not a member of it."


def can_see(principal: Principal, match: Match) -> bool:
    return match.user_id == principal.discord_id or principal.is_member_of(match.guild_id)


async def visible_match(matches: MatchRepository, principal: Principal, match_id: str) -> Match:
    match = await matches.get(match_id)
    if match is None or not can_see(principal, match):
        raise NotFound("No match with that id.")
    return match


def ensure_member(principal: Principal, guild_id: int) -> None:
    if not principal.is_member_of(guild_id):
        raise NotAMember


def ensure_admin(principal: Principal, guild_id: int) -> None:
    """Manage Server in that server; a non-member is told it was not found."""
    ensure_member(principal, guild_id)
    if guild_id not in principal.admin_of:
        raise Forbidden("You need the Manage Server permission in that server.")
