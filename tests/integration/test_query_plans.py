"""Every repository query reads only what it returns, among many other players' matches.

The autouse fixture already proves each query uses an index; here the collections hold noise
(other servers, other players, other modes) so that a query that merely *uses* an index but
still wades through other people's documents would fail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from app.core.game.modes import Mode
from app.core.matches import MatchFilter
from app.shared.db.connection import Database
from app.shared.db.repositories import (
    BeanieMatchRepository,
    BeanieOutboxRepository,
    BeanieRefreshTokenRepository,
)
from app.shared.db.repositories.analytics import BeanieAnalyticsRepository
from tests.support.factories import (
    T0,
    match_fields,
    outbox_fields,
    raw_search_and_destroy,
    refresh_token_fields,
)
from tests.support.queries import QueryRecorder, explain, explainable

Query = Callable[[], Awaitable[Any]]


@pytest.fixture
async def seeded(database: Database) -> dict[str, Any]:
    matches = BeanieMatchRepository()
    saved = []
    for i in range(120):
        raw = raw_search_and_destroy() if i % 3 == 0 else None
        extra = {"raw_stats": raw} if raw else {}
        saved.append(
            await matches.add(
                match_fields(
                    guild_id=100 + i % 4,
                    user_id=1 + i % 10,
                    played_at=T0 - timedelta(hours=i),
                    screenshot_hashes=[f"s{i}"],
                    **extra,
                )
            )
        )
    outbox = BeanieOutboxRepository()
    for i in range(30):
        await outbox.enqueue(outbox_fields(kind="bot.post_digest" if i % 2 else "discord.followup"))
    tokens = BeanieRefreshTokenRepository()
    for i in range(30):
        await tokens.add(refresh_token_fields(family_id=f"family-{i % 6}"))
    return {"matches": saved}


async def plans_of(
    query: Query, recorder: QueryRecorder, database: Database
) -> list[tuple[dict[str, Any], int, int]]:
    recorder.commands.clear()
    await query()
    commands = list(recorder.commands)
    recorder.enabled = False
    try:
        results = []
        for command in commands:
            for body in explainable(command):
                plan = await explain(database.db, body)
                results.append((body, plan.examined, plan.returned))
        return results
    finally:
        recorder.enabled = True


def match_queries(seeded: dict[str, Any]) -> dict[str, Query]:
    matches = BeanieMatchRepository()
    first = seeded["matches"][0]
    return {
        "by interaction": lambda: matches.find_by_interaction(first.interaction_id),
        "by screenshot": lambda: matches.find_by_screenshots(first.user_id, ["s0", "s10"]),
        "by id": lambda: matches.get(first.id),
        "user page": lambda: matches.page(MatchFilter(user_id=3), limit=5),
        "user mode page": lambda: matches.page(
            MatchFilter(user_id=3, mode=Mode.SEARCH_AND_DESTROY), limit=5
        ),
        "guild page": lambda: matches.page(MatchFilter(guild_id=101), limit=5),
        "guild mode page": lambda: matches.page(
            MatchFilter(guild_id=101, mode=Mode.HARDPOINT), limit=5
        ),
        "guild user page": lambda: matches.page(MatchFilter(guild_id=101, user_id=2), limit=5),
        "dated page": lambda: matches.page(
            MatchFilter(user_id=4, played_from=T0 - timedelta(hours=50)), limit=50
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "by interaction",
        "by screenshot",
        "by id",
        "user page",
        "user mode page",
        "guild page",
        "guild mode page",
        "guild user page",
        "dated page",
    ],
)
async def test_match_queries_examine_about_what_they_return(
    name: str, seeded: dict[str, Any], query_recorder: QueryRecorder, database: Database
) -> None:
    plans = await plans_of(match_queries(seeded)[name], query_recorder, database)

    assert plans
    for body, examined, returned in plans:
        # A page asks for one row more than it shows, to know whether there is a next page.
        assert examined <= returned + 1, f"{name}: examined {examined}, returned {returned}: {body}"


async def test_outbox_and_token_queries_examine_about_what_they_return(
    seeded: dict[str, Any], query_recorder: QueryRecorder, database: Database
) -> None:
    outbox, tokens = BeanieOutboxRepository(), BeanieRefreshTokenRepository()
    queries: list[Query] = [
        lambda: outbox.claim_due(T0, timedelta(seconds=30), ["discord.followup"]),
        lambda: outbox.expire_overdue(T0),
        lambda: outbox.find("nope"),
        lambda: tokens.revoke_family("family-2", T0),
        lambda: tokens.find_by_hash("nope"),
        lambda: tokens.is_family_active("family-3"),
        # A revoked family (family-2, just above) reads as little as a live one.
        lambda: tokens.is_family_active("family-2"),
    ]
    for query in queries:
        for body, examined, returned in await plans_of(query, query_recorder, database):
            assert examined <= returned + 1, f"examined {examined}, returned {returned}: {body}"


def summary_queries() -> dict[str, Query]:
    summary = BeanieAnalyticsRepository().summary
    return {
        "player": lambda: summary(3, guild_id=None, mode=None, since=None),
        "player mode": lambda: summary(3, guild_id=None, mode=Mode.SEARCH_AND_DESTROY, since=None),
        "player in a server": lambda: summary(3, guild_id=102, mode=None, since=None),
        "player in a server, mode, period": lambda: summary(
            3, guild_id=102, mode=Mode.HARDPOINT, since=T0 - timedelta(hours=60)
        ),
    }


@pytest.mark.parametrize(
    "name", ["player", "player mode", "player in a server", "player in a server, mode, period"]
)
async def test_a_summary_reads_only_the_players_matches_in_scope(
    name: str, seeded: dict[str, Any], query_recorder: QueryRecorder, database: Database
) -> None:
    plans = await plans_of(summary_queries()[name], query_recorder, database)

    assert any(returned for _, _, returned in plans), f"{name}: nothing read proves nothing"
    for body, examined, returned in plans:
        # The player's day rollups and their period's first day of matches: exactly what is
        # in scope, none of anyone else's.
        assert examined <= returned, f"{name}: {examined}/{returned}: {body}"
