"""Matches: finding one the actor may see or change, and listings scoped to what they may see.

Both adapters find matches only through these functions, so "can see this match" is decided
in one place (`app.core.actors.can_see`) for a button in Discord and a GET on the API alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from app.core.actors import Actor, can_see, ensure_member, ensure_owner_or_admin
from app.core.debriefs import Debrief
from app.core.errors import Forbidden, NotFound
from app.core.game.catalog import Catalog
from app.core.game.rules import Mode
from app.core.i18n import N_, _
from app.core.matches import Match, MatchFilter, MatchPage, MatchTotals, PageCursor
from app.core.ports import DebriefRepository, MatchRepository

EXPORT_PAGE_SIZE = 100


class NoSuchMatch(NotFound):
    user_message = N_("No match with that id.")


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """What a listing asks for, before it is narrowed to what the actor may see.

    No player and no server: the actor's own matches. Another player's: only within a server
    the actor belongs to.
    """

    user_id: int | None = None
    guild_id: int | None = None
    mode: Mode | None = None
    map: str | None = None
    played_from: datetime | None = None
    played_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class MatchWithDebrief:
    match: Match
    debrief: Debrief | None  # None while it is still being written


async def find_visible_match(matches: MatchRepository, actor: Actor, match_id: str) -> Match:
    """The match if the actor may see it; otherwise, whether or not it exists, not found."""
    match = await matches.get(match_id.strip().lower())
    if match is None or not can_see(actor, owner_id=match.user_id, guild_id=match.guild_id):
        raise NoSuchMatch
    return match


async def find_changeable_match(matches: MatchRepository, actor: Actor, match_id: str) -> Match:
    """A match the actor may correct or delete: not found if they cannot even see it,
    forbidden if they can see it but neither played it nor administer its server.

    The handlers check again when the change is made; this lets an adapter refuse before it
    shows a form.
    """
    match = await find_visible_match(matches, actor, match_id)
    ensure_owner_or_admin(actor, owner_id=match.user_id, guild_id=match.guild_id)
    return match


async def show_match(
    matches: MatchRepository, debriefs: DebriefRepository, actor: Actor, match_id: str
) -> MatchWithDebrief:
    match = await find_visible_match(matches, actor, match_id)
    return MatchWithDebrief(match, await debriefs.get_for_match(match.id))


async def visible_debrief(
    matches: MatchRepository, debriefs: DebriefRepository, actor: Actor, match_id: str
) -> Debrief:
    shown = await show_match(matches, debriefs, actor, match_id)
    if shown.debrief is None:
        raise NotFound(_("This match has no debrief yet."))
    return shown.debrief


def visible_filter(actor: Actor, query: MatchQuery, catalog: Catalog) -> MatchFilter:
    """The query as a filter scoped to what the actor may see; refuses anything wider."""
    user_id = query.user_id
    if user_id is None and query.guild_id is None:
        user_id = actor.user_id
    if user_id != actor.user_id:
        if query.guild_id is None:
            raise Forbidden(_("Name a server you share to list another player's matches."))
        ensure_member(actor, query.guild_id)
    return MatchFilter(
        guild_id=query.guild_id,
        user_id=user_id,
        mode=query.mode,
        # The same spelling the matches were saved with, so "den" finds "Den".
        map=catalog.resolve_map(query.map).display if query.map else None,
        played_from=query.played_from,
        played_until=query.played_until,
    )


async def match_page(
    matches: MatchRepository, where: MatchFilter, *, limit: int, after: PageCursor | None
) -> MatchPage:
    """Newest first; `after` is the previous page's `next_cursor`."""
    return await matches.page(where, limit=limit, after=after)


async def match_totals(matches: MatchRepository, where: MatchFilter) -> MatchTotals:
    """Every match of the filter added up: what a listing's pages amount to."""
    return await matches.totals(where)


async def every_match(
    matches: MatchRepository, where: MatchFilter, *, page_size: int = EXPORT_PAGE_SIZE
) -> AsyncIterator[Match]:
    """Each match of the filter, a page at a time, so memory stays flat however many."""
    after: PageCursor | None = None
    while True:
        page = await matches.page(where, limit=page_size, after=after)
        for match in page.matches:
            yield match
        if page.next_cursor is None:
            return
        after = page.next_cursor
