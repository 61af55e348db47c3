"""Listing matches: a filter the caller may see, and pages that a cursor resumes."""

from __future__ import annotations

from collections.abc import AsyncIterator

from app.api.auth.principal import Principal
from app.api.schemas.matches import MatchQuery
from app.api.views.access import ensure_member
from app.core.errors import Forbidden
from app.core.game.catalog import Catalog
from app.core.matches import Match, MatchFilter, MatchPage, PageCursor
from app.core.ports import MatchRepository

EXPORT_PAGE_SIZE = 100


def visible_filter(principal: Principal, query: MatchQuery, catalog: Catalog) -> MatchFilter:
    """The query as a filter scoped to what the caller may see; refuses anything wider.

    Without a server, a listing is the caller's own matches; another player's are only
    listed within a server both belong to.
    """
    user_id = query.user_id
    if user_id is None and query.guild_id is None:
        user_id = principal.discord_id
    if user_id != principal.discord_id:
        if query.guild_id is None:
            raise Forbidden("Name a server you share (guild_id) to list another player's matches.")
        ensure_member(principal, query.guild_id)
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
    matches: MatchRepository, where: MatchFilter, *, limit: int, cursor: str | None
) -> MatchPage:
    after = PageCursor.decode(cursor) if cursor else None
    return await matches.page(where, limit=limit, after=after)


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
