"""A page read a `played_at` window at a time is the page read in one unbounded query.

On SecantusDB a page is read in widening windows (it never pushes a limit down); on MongoDB in
one query. Both are run here against the same real server, for random histories (ties, gaps
of years, matches in the future), filters, cursors and page sizes, and must return the same
rows in the same order; paging through with either covers every match once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from beanie.odm.utils.dump import get_dict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.game.modes import MatchStats
from app.core.matches import MatchFilter, PageCursor
from app.shared.db.connection import Database
from app.shared.db.documents import MatchDocument
from app.shared.db.repositories.matches import (
    WIDEST_WINDOW,
    listing_branches,
    newest_first,
    newest_first_in_windows,
)
from tests.support.factories import match_fields, raw_hardpoint, raw_search_and_destroy
from tests.support.queries import QueryRecorder

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
PLAYERS, GUILDS = (1, 2), (10, 20)
DAY_MS = 86_400_000
# Milliseconds before NOW: mostly the last weeks, often on a window's edge, sometimes years.
EDGES = [0, 1, 7 * DAY_MS, 28 * DAY_MS, 35 * DAY_MS, 112 * DAY_MS]
OFFSETS = st.one_of(
    st.integers(min_value=-3_600_000, max_value=400 * DAY_MS),
    st.sampled_from(EDGES).flatmap(lambda edge: st.sampled_from([edge - 1, edge, edge + 1])),
    st.integers(min_value=0, max_value=20 * WIDEST_WINDOW // timedelta(milliseconds=1)),
)
MATCH = st.tuples(st.sampled_from(PLAYERS), st.sampled_from(GUILDS), st.booleans(), OFFSETS)
MOMENTS = st.one_of(st.none(), st.none(), OFFSETS.map(lambda ms: NOW - timedelta(milliseconds=ms)))


@st.composite
def filters(draw: st.DrawFn) -> MatchFilter:
    scope = draw(st.sampled_from(["user", "guild", "both"]))
    return MatchFilter(
        user_id=draw(st.sampled_from(PLAYERS)) if scope != "guild" else None,
        guild_id=draw(st.sampled_from(GUILDS)) if scope != "user" else None,
        mode=draw(st.sampled_from([None, MatchStats.model_validate(raw_hardpoint()).mode])),
        played_from=draw(MOMENTS),
        played_until=draw(MOMENTS),
    )


async def seed(drawn: list[tuple[int, int, bool, int]], recorder: QueryRecorder) -> None:
    """Replace every match by these (not the app's queries: not explained)."""
    collection = MatchDocument.get_pymongo_collection()
    recorder.enabled = False
    try:
        await collection.delete_many({})
        if drawn:
            await collection.insert_many(documents(drawn))
    finally:
        recorder.enabled = True


def documents(drawn: list[tuple[int, int, bool, int]]) -> list[dict[str, Any]]:
    stored = []
    for user_id, guild_id, hardpoint, offset_ms in drawn:
        raw = raw_hardpoint() if hardpoint else raw_search_and_destroy()
        fields = match_fields(
            user_id=user_id,
            guild_id=guild_id,
            raw_stats=raw,
            played_at=NOW - timedelta(milliseconds=offset_ms),
        )
        stored.append(get_dict(MatchDocument.model_validate(fields.model_dump()), to_db=True))
    return stored


async def both_ways(
    where: MatchFilter, after: PageCursor | None, limit: int
) -> tuple[list[Any], list[Any]]:
    branches, index = listing_branches(where, after)
    one_query = await newest_first(branches, index, limit)
    windows = await newest_first_in_windows(branches, index, limit, now=NOW)
    return [d["_id"] for d in one_query], [d["_id"] for d in windows]


@given(
    drawn=st.lists(MATCH, max_size=40),
    where=filters(),
    limit=st.integers(min_value=1, max_value=8),
)
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_windows_return_exactly_the_unbounded_page_at_every_cursor(
    database: Database,
    query_recorder: QueryRecorder,
    drawn: list[tuple[int, int, bool, int]],
    where: MatchFilter,
    limit: int,
) -> None:
    await seed(drawn, query_recorder)
    after: PageCursor | None = None
    seen: list[Any] = []
    while True:
        expected, windowed = await both_ways(where, after, limit + 1)
        assert windowed == expected
        page = expected[:limit]
        seen += page
        if len(expected) <= limit:
            break
        last = await MatchDocument.get(page[-1])
        following = await MatchDocument.get(expected[limit])
        assert last is not None and following is not None
        # As `page` makes it: whether the next match shares the last one's time.
        tied = following.played_at == last.played_at
        after = PageCursor(played_at=last.played_at, match_id=str(last.id), tied=tied)
    everything, _ = await both_ways(where, None, len(drawn) + 1)
    assert seen == everything
    assert len(set(seen)) == len(seen)


async def test_a_match_on_any_window_edge_is_read_once(
    database: Database, query_recorder: QueryRecorder
) -> None:
    """A match exactly at a window's start (or a millisecond either side) is in that window
    and not in the next one, however the page falls."""
    drawn = [(1, 10, True, edge + delta) for edge in EDGES[1:] for delta in (-1, 0, 1)]
    await seed(drawn, query_recorder)
    for limit in range(1, len(drawn) + 2):
        expected, windowed = await both_ways(MatchFilter(user_id=1), None, limit)
        assert windowed == expected
    assert len(expected) == len(drawn)
