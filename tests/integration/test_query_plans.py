"""Every repository query reads only what it returns, among many other players' matches.

The autouse fixture already proves each query uses an index; here the collections hold noise
(other servers, other players, other modes) so that a query that merely *uses* an index but
still wades through other people's documents would fail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from app.core.actors import Actor
from app.core.game.metrics import Stat
from app.core.game.modes import Mode
from app.core.links import GamertagLink, GamertagTaken
from app.core.matches import CapturedFrom, MatchFilter, MatchSource
from app.core.reads.sessions import current_session
from app.core.seasons import EndedSeason, SeasonFields
from app.core.squad.claims import claim_for
from app.core.squad.matching import SAME_MATCH_WINDOW, capture_interaction_id, find_same_match
from app.shared.db.connection import Database
from app.shared.db.repositories import (
    BeanieGamertagLinkRepository,
    BeanieMatchRepository,
    BeanieOutboxRepository,
    BeanieRefreshTokenRepository,
    BeanieSeasonRepository,
)
from app.shared.db.repositories.analytics import BeanieAnalyticsRepository
from app.shared.db.repositories.digests import BeanieDigestRunRepository
from tests.support.factories import (
    T0,
    match_fields,
    outbox_fields,
    raw_search_and_destroy,
    refresh_token_fields,
)
from tests.support.queries import QueryRecorder, explain, explainable
from tests.support.snapshots import Snapshot
from tests.unit.fakes import FrozenClock

Query = Callable[[], Awaitable[Any]]


@pytest.fixture(scope="module")
async def seeded_once(
    database: Database, query_recorder: QueryRecorder
) -> Snapshot[dict[str, Any]]:
    return await Snapshot.seed(seed, database, query_recorder)


@pytest.fixture
async def seeded(
    seeded_once: Snapshot[dict[str, Any]], database: Database, clean_collections: None
) -> dict[str, Any]:
    """The seeded state, fresh for each test: seeded once, put back (tests/support/snapshots.py)."""
    return await seeded_once.restore(database)


async def seed() -> dict[str, Any]:
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
        "guild user totals": lambda: matches.totals(MatchFilter(guild_id=101, user_id=2)),
        "guild user mode totals": lambda: matches.totals(
            MatchFilter(guild_id=101, user_id=3, mode=Mode.SEARCH_AND_DESTROY)
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
        "guild user totals",
        "guild user mode totals",
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


def squad_queries() -> dict[str, Query]:
    """What /compare, /session and the records of a debrief ask the database."""
    analytics, matches = BeanieAnalyticsRepository(), BeanieMatchRepository()
    return {
        # Milestones: the player's totals in one server, through the server's player index.
        "career totals": lambda: analytics.career_totals(3, 102),
        # /session: one page of the player's newest matches of the last week, in a server or
        # anywhere: bounded by the range on `played_at`, not only by the limit.
        "session in a server": lambda: current_session(
            matches, FrozenClock(T0), Actor(3, member_of=frozenset({102})), guild_id=102
        ),
        "session anywhere": lambda: current_session(matches, FrozenClock(T0), Actor(3)),
        # /compare: each side's numbers and trend in the server, in a mode or all.
        "compare numbers": lambda: analytics.summary(3, guild_id=102, mode=None, since=None),
        "compare numbers by mode": lambda: analytics.summary(
            3, guild_id=102, mode=Mode.HARDPOINT, since=None
        ),
        "compare trend": lambda: analytics.series(3, Stat.KD, guild_id=102, mode=None, last=20),
        "compare trend by mode": lambda: analytics.series(
            3, Stat.CAPTURES, guild_id=102, mode=None, last=20
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "career totals",
        "session in a server",
        "session anywhere",
        "compare numbers",
        "compare numbers by mode",
        "compare trend",
        "compare trend by mode",
    ],
)
async def test_squad_queries_read_only_the_players_matches(
    name: str, seeded: dict[str, Any], query_recorder: QueryRecorder, database: Database
) -> None:
    plans = await plans_of(squad_queries()[name], query_recorder, database)

    assert plans
    # On SecantusDB a page reads `played_at` windows newest first: a window may hold nothing.
    assert any(returned > 0 for _, _, returned in plans), f"{name}: nothing returned: {plans}"
    for body, examined, returned in plans:
        # None of another player's, server's or mode's matches; a page reads one row ahead.
        assert examined <= returned + 1, f"{name}: {examined}/{returned}: {body}"


async def seed_links_and_seasons() -> tuple[BeanieGamertagLinkRepository, BeanieSeasonRepository]:
    """Other servers' and other members' names and seasons around the ones queried."""
    links, seasons = BeanieGamertagLinkRepository(), BeanieSeasonRepository()
    for i in range(40):
        guild, user = 100 + i % 4, 1 + i % 10
        await links.add(
            GamertagLink(
                guild_id=guild, user_id=user, gamertag=f"Tag{i}", key=f"tag{i}", linked_at=T0
            )
        )
    for guild in range(100, 104):
        for number in range(1, 6):
            ended = EndedSeason(
                number=number - 1, name=f"S{number - 1}", started_at=None, ended_at=T0
            )
            await seasons.start(
                SeasonFields(
                    guild_id=guild,
                    number=number,
                    name=f"S{number}",
                    started_at=T0 + timedelta(days=number),
                    started_by=1,
                    idempotency_key=f"key-{guild}-{number}",
                    ended=ended,
                )
            )
    return links, seasons


async def test_link_and_season_queries_examine_about_what_they_return(
    query_recorder: QueryRecorder, database: Database
) -> None:
    links, seasons = await seed_links_and_seasons()
    moved = GamertagLink(guild_id=101, user_id=7, gamertag="Tag5", key="tag5", linked_at=T0)
    taken = GamertagLink(guild_id=101, user_id=8, gamertag="Tag1", key="tag1", linked_at=T0)
    # A new name within the cap, and another member's name moved to someone with room.
    fresh = GamertagLink(guild_id=103, user_id=4, gamertag="Fresh", key="fresh", linked_at=T0)
    given = GamertagLink(guild_id=100, user_id=1, gamertag="Tag4", key="tag4", linked_at=T0)
    queries: list[Query] = [
        lambda: links.add(fresh),
        lambda: links.move(given),
        lambda: links.owner_of(101, "tag5"),
        # A scoreboard's names, for whole-squad capture: one query on the name index.
        lambda: links.owners_of(101, ["tag1", "tag5", "nobody"]),
        # Whether an upload's other rows are worth reading: the server's opted-in names only.
        lambda: links.has_auto_record_besides(101, 2),
        lambda: links.of_member(101, 2),
        lambda: links.move(moved),
        lambda: links.remove(101, "tag5", 2),
        lambda: links.remove(101, "tag9", None),
        lambda: _refused(links.add(taken)),
        lambda: seasons.current(102),
        lambda: seasons.all_of(102),
        # A replayed start finds its season by its idempotency key.
        lambda: seasons.start(
            SeasonFields(
                guild_id=102,
                number=6,
                name="again",
                started_at=T0,
                started_by=1,
                idempotency_key="key-102-5",
                ended=EndedSeason(number=5, name="S5", started_at=None, ended_at=T0),
            )
        ),
    ]
    for query in queries:
        plans = await plans_of(query, query_recorder, database)
        for body, examined, returned in plans:
            assert examined <= max(returned, 1), f"examined {examined}, returned {returned}: {body}"


async def _refused(adding: Awaitable[Any]) -> None:
    with pytest.raises(GamertagTaken):
        await adding


async def test_squad_capture_queries_examine_about_what_they_return(
    seeded: dict[str, Any], query_recorder: QueryRecorder, database: Database
) -> None:
    matches = BeanieMatchRepository()
    origin = seeded["matches"][0]
    for user_id in (21, 22, 23):
        await matches.add(
            match_fields(
                guild_id=origin.guild_id,
                user_id=user_id,
                interaction_id=capture_interaction_id(origin.id, user_id),
                source=MatchSource.CAPTURED,
                screenshot_hashes=[],
                captured_from=CapturedFrom(match_id=origin.id, user_id=origin.user_id),
                played_at=origin.played_at,
            )
        )
    pending = await matches.add(
        match_fields(
            guild_id=origin.guild_id,
            user_id=24,
            capture_pending=True,
            pending_lobby=[{"gamertag": "Viper_21", "team": "ally"}],
        )
    )
    claim = claim_for(
        origin.stats,
        guild_id=origin.guild_id,
        user_id=2,
        played_at=T0,
        holder=7,
        captured=True,
        now=T0,
    )
    for user_id in (3, 4, 5):  # other members' claims of the same match
        other = replace(claim, key=replace(claim.key, user_id=user_id))
        await matches.take_claim(other, SAME_MATCH_WINDOW)
    queries: list[Query] = [
        lambda: matches.captured_from(origin.id),
        # The same-match look-up: one player's matches of a mode around a time, in a server.
        lambda: find_same_match(
            matches,
            guild_id=101,
            user_id=2,
            stats=origin.stats,
            played_at=T0 - timedelta(hours=20),
            window=SAME_MATCH_WINDOW,
        ),
        # The capture sweeper: only the pending uploads are in its partial index.
        lambda: matches.pending_captures(T0 + timedelta(days=1), limit=20),
        lambda: matches.finish_capture(pending.id),
        # Same-match claims: the compare-and-set (a capture's, an own upload's), the holder's
        # read after a refusal, the take-over of a stale one and the release.
        lambda: matches.take_claim(claim, SAME_MATCH_WINDOW),
        lambda: matches.take_claim(replace(claim, holder=8), SAME_MATCH_WINDOW),
        lambda: matches.take_claim(replace(claim, captured=False), SAME_MATCH_WINDOW),
        lambda: matches.take_over_claim(replace(claim, holder=9), claim),
        lambda: matches.release_claim(claim),
    ]
    for query in queries:
        for body, examined, returned in await plans_of(query, query_recorder, database):
            assert examined <= returned + 1, f"examined {examined}, returned {returned}: {body}"


async def test_digest_claim_queries_examine_about_what_they_return(
    query_recorder: QueryRecorder, database: Database
) -> None:
    digests = BeanieDigestRunRepository()
    for guild in range(100, 104):  # other servers' claims, and other weeks of the same server
        for week in range(40, 48):
            await digests.claim(guild, f"2026-W{week}", T0, request_key=f"request-{guild}")
    queries: list[Query] = [
        lambda: digests.claim_of(101, "2026-W45"),
        lambda: digests.claim_of(101, "2026-W01"),
        lambda: digests.release(102, "2026-W46"),
    ]
    for query in queries:
        for body, examined, returned in await plans_of(query, query_recorder, database):
            assert examined <= max(returned, 1), f"examined {examined}, returned {returned}: {body}"
