"""Leaderboards, trends, personal bests and weekly totals, computed by the database.

Two checks for each query: small hand-made cases whose answers are written out, and a
realistic season (2 servers, 5 players, 3 modes, missing accuracies, deathless games) compared
with the same numbers computed in plain Python by `FakeAnalytics`.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from app.core.analytics import LeaderboardRow, WeekTotals
from app.core.game.errors import UnknownStat
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.matches import Match, MatchFields
from app.shared.db.connection import Database
from app.shared.db.documents import MatchDocument
from app.shared.db.repositories import BeanieMatchRepository
from app.shared.db.repositories.analytics import BeanieAnalyticsRepository
from app.shared.db.rollups.rebuild import rebuild as rebuild_rollups
from tests.support.factories import T0, match_fields
from tests.support.queries import QueryRecorder, explain, explainable
from tests.unit.debriefing.builders import fields, raw_stats
from tests.unit.fakes import FakeMatches
from tests.unit.fakes_analytics import FakeAnalytics

GUILDS = (501, 502)
USERS = (11, 12, 13, 14, 15)
WEEK = timedelta(days=7)


@pytest.fixture
def analytics() -> BeanieAnalyticsRepository:
    return BeanieAnalyticsRepository()


async def save(*matches: MatchFields) -> list[Match]:
    repository = BeanieMatchRepository()
    return [await repository.add(m) for m in matches]


def season_fields(count: int = 240, seed: int = 7) -> list[MatchFields]:
    """Three weeks of varied, valid matches across the servers, players and modes."""
    rng = random.Random(seed)
    return [
        match_fields(
            guild_id=rng.choice(GUILDS),
            user_id=rng.choice(USERS),
            played_at=T0 - timedelta(minutes=rng.randint(0, 3 * 7 * 24 * 60)),
            raw_stats=_random_raw(rng),
        )
        for _ in range(count)
    ]


def _random_raw(rng: random.Random) -> dict[str, Any]:
    mode = rng.choice(list(Mode))
    shown = round(rng.uniform(10, 40), 1)
    accuracy = rng.choice([(), (None,), (shown, None), (shown,), (shown, round(shown / 2, 1))])
    player: dict[str, Any]
    if mode is Mode.SEARCH_AND_DESTROY:
        player = {
            "kills": rng.randint(0, 20),
            "deaths": rng.randint(0, 10),
            "assists": rng.randint(0, 8),
            "plants": rng.randint(0, 3),
            "defuses": rng.randint(0, 2),
            "score": rng.randint(500, 6000),
        }
        return raw_stats(mode, result=rng.choice(["win", "loss"]), accuracy=accuracy, **player)
    player = {
        "kills": rng.randint(3, 45),
        "deaths": rng.choice([0, rng.randint(1, 35)]),
        "assists": rng.randint(0, 15),
        "score": rng.randint(1500, 12000),
    }
    if mode is Mode.HARDPOINT:
        player |= {"objective_time_s": rng.randint(0, 200), "captures": rng.randint(0, 6)}
        result = rng.choice(["win", "loss", "draw"])
    else:
        player |= {"overloads": rng.randint(0, 5), "device_carry_time_s": rng.randint(0, 300)}
        result = rng.choice(["win", "loss"])
    return raw_stats(mode, result=result, accuracy=accuracy, **player)


@pytest.fixture
async def season(database: Database) -> FakeAnalytics:
    """The season saved in MongoDB, and the same matches behind the Python reference."""
    played = season_fields()
    # One bulk insert: a few times faster than saving the matches one by one; then the day
    # rollups are built from them, as for a database that had matches before them.
    inserted = await MatchDocument.insert_many(
        [MatchDocument.model_validate(m.model_dump()) for m in played]
    )
    await rebuild_rollups()
    reference = FakeMatches()
    for oid, fields_ in zip(inserted.inserted_ids, played, strict=True):
        reference.rows[str(oid)] = Match(id=str(oid), **fields_.model_dump())
    return FakeAnalytics(reference)


def assert_same_rows(actual: list[LeaderboardRow], expected: list[LeaderboardRow]) -> None:
    assert [(r.user_id, r.matches) for r in actual] == [(r.user_id, r.matches) for r in expected]
    assert [r.value for r in actual] == pytest.approx([r.value for r in expected])


# Leaderboards


async def test_kd_is_pooled_and_a_deathless_record_counts_its_kills(
    analytics: BeanieAnalyticsRepository,
) -> None:
    await save(
        fields(user_id=1, kills=10, deaths=0),
        fields(user_id=2, kills=30, deaths=10),
        fields(user_id=2, kills=10, deaths=30),  # mean of ratios 1.67, pooled 1.0
        fields(user_id=3, kills=24, deaths=12),
        fields(user_id=4, kills=50, deaths=10, guild_id=999),  # another server
    )

    rows = await analytics.leaderboard(111, Stat.KD, since=None, mode=None, min_matches=1, limit=10)

    assert rows == [
        LeaderboardRow(user_id=1, value=10.0, matches=1),
        LeaderboardRow(user_id=3, value=2.0, matches=1),
        LeaderboardRow(user_id=2, value=1.0, matches=2),
    ]


async def test_fewest_deaths_lead_and_ties_go_to_more_matches_then_lower_id(
    analytics: BeanieAnalyticsRepository,
) -> None:
    await save(
        fields(user_id=7, deaths=10),
        fields(user_id=5, deaths=12),
        fields(user_id=6, deaths=12),
        fields(user_id=8, deaths=11),
        fields(user_id=8, deaths=13),
    )

    rows = await analytics.leaderboard(
        111, Stat.DEATHS, since=None, mode=None, min_matches=1, limit=10
    )

    assert [(r.user_id, r.value, r.matches) for r in rows] == [
        (7, 10.0, 1),
        (8, 12.0, 2),
        (5, 12.0, 1),
        (6, 12.0, 1),
    ]


async def test_accuracy_averages_the_matches_that_show_it(
    analytics: BeanieAnalyticsRepository,
) -> None:
    await save(
        fields(user_id=1, accuracy=(20.0, None, 30.0)),  # 25
        fields(user_id=1, accuracy=(None,)),  # not shown: does not count
        fields(user_id=1, accuracy=()),
        fields(user_id=1, accuracy=(35.0,)),
        fields(user_id=2, accuracy=(None,)),  # never shown: not on the board
    )

    rows = await analytics.leaderboard(
        111, Stat.ACCURACY, since=None, mode=None, min_matches=1, limit=10
    )

    assert rows == [LeaderboardRow(user_id=1, value=30.0, matches=2)]


async def test_min_matches_since_and_limit_narrow_the_board(
    analytics: BeanieAnalyticsRepository,
) -> None:
    await save(
        fields(user_id=1, score=9000, played_at=T0 - 2 * WEEK),
        fields(user_id=1, score=3000),
        fields(user_id=2, score=4000),
        fields(user_id=2, score=6000),
        fields(user_id=3, score=7000),
        fields(user_id=3, score=7000),
        fields(user_id=4, score=9999),
    )
    board = analytics.leaderboard

    everyone = await board(111, Stat.SCORE, since=None, mode=None, min_matches=2, limit=10)
    recent = await board(111, Stat.SCORE, since=T0 - WEEK, mode=None, min_matches=2, limit=10)
    top = await board(111, Stat.SCORE, since=None, mode=None, min_matches=1, limit=2)

    assert [(r.user_id, r.value) for r in everyone] == [(3, 7000), (1, 6000), (2, 5000)]
    assert [(r.user_id, r.value) for r in recent] == [(3, 7000), (2, 5000)]
    assert [r.user_id for r in top] == [4, 3]


async def test_a_mode_only_stat_ranks_only_its_mode(analytics: BeanieAnalyticsRepository) -> None:
    await save(
        fields(Mode.HARDPOINT, user_id=1, captures=2),
        fields(Mode.HARDPOINT, user_id=1, captures=4),
        fields(Mode.OVERLOAD, user_id=2),
    )

    rows = await analytics.leaderboard(
        111, Stat.CAPTURES, since=None, mode=None, min_matches=1, limit=10
    )

    assert rows == [LeaderboardRow(user_id=1, value=3.0, matches=2)]
    with pytest.raises(UnknownStat):
        await analytics.leaderboard(
            111, Stat.CAPTURES, since=None, mode=Mode.OVERLOAD, min_matches=1, limit=10
        )


def leaderboard_cases() -> list[tuple[Stat, Mode | None]]:
    return [
        (stat, mode)
        for stat in Stat
        for mode in (None, *Mode)
        if stat.mode is None or mode in (None, stat.mode)
    ]


async def test_leaderboards_of_a_season_match_python(
    season: FakeAnalytics, analytics: BeanieAnalyticsRepository
) -> None:
    for guild_id in GUILDS:
        for stat, mode in leaderboard_cases():
            for since in (None, T0 - 2 * WEEK):
                args: dict[str, Any] = {"since": since, "mode": mode, "min_matches": 2, "limit": 4}
                actual = await analytics.leaderboard(guild_id, stat, **args)
                expected = await season.leaderboard(guild_id, stat, **args)
                assert actual, f"{guild_id} {stat} {mode} {since}: the season is too sparse"
                assert_same_rows(actual, expected)


# Trends


async def test_series_is_the_last_matches_oldest_first(
    analytics: BeanieAnalyticsRepository,
) -> None:
    saved = await save(
        *[fields(user_id=1, kills=10 + i, played_at=T0 - timedelta(hours=i)) for i in range(6)],
        fields(user_id=2, kills=40),
        fields(Mode.OVERLOAD, user_id=1, kills=40, played_at=T0 - timedelta(minutes=30)),
    )

    points = await analytics.series(1, Stat.KILLS, guild_id=None, mode=Mode.HARDPOINT, last=4)

    assert [p.value for p in points] == [13, 12, 11, 10]
    assert [p.match_id for p in points] == [saved[i].id for i in (3, 2, 1, 0)]
    assert [p.played_at for p in points] == sorted(p.played_at for p in points)


async def test_series_ties_on_time_break_by_id_and_skip_missing_accuracy(
    analytics: BeanieAnalyticsRepository,
) -> None:
    saved = await save(
        fields(user_id=1, accuracy=(20.0,)),
        fields(user_id=1, accuracy=(None,)),
        fields(user_id=1, accuracy=(30.0,)),
    )

    points = await analytics.series(1, Stat.ACCURACY, guild_id=111, mode=None, last=10)

    assert [(p.match_id, p.value) for p in points] == [(saved[0].id, 20.0), (saved[2].id, 30.0)]


async def test_series_kd_of_a_deathless_match_is_its_kills(
    analytics: BeanieAnalyticsRepository,
) -> None:
    await save(fields(user_id=1, kills=12, deaths=0), fields(user_id=1, kills=9, deaths=6))

    points = await analytics.series(1, Stat.KD, guild_id=None, mode=None, last=5)

    assert sorted(p.value for p in points) == [1.5, 12.0]


SERIES_CASES = [
    (Stat.KD, None),
    (Stat.KD, Mode.SEARCH_AND_DESTROY),
    (Stat.ACCURACY, None),
    (Stat.ACCURACY, Mode.OVERLOAD),
    (Stat.DEATHS, Mode.HARDPOINT),
    (Stat.CAPTURES, None),
    (Stat.PLANTS, Mode.SEARCH_AND_DESTROY),
    (Stat.DEVICE_CARRY_TIME, None),
]


async def test_series_of_a_season_match_python(
    season: FakeAnalytics, analytics: BeanieAnalyticsRepository
) -> None:
    for user_id in USERS:
        for guild_id in (None, *GUILDS):
            for stat, mode in SERIES_CASES:
                args: dict[str, Any] = {"guild_id": guild_id, "mode": mode, "last": 7}
                actual = await analytics.series(user_id, stat, **args)
                expected = await season.series(user_id, stat, **args)
                assert [p.match_id for p in actual] == [p.match_id for p in expected]
                assert [p.played_at for p in actual] == [p.played_at for p in expected]
                assert [p.value for p in actual] == pytest.approx([p.value for p in expected])


# Personal bests


async def test_personal_bests_of_a_mode(analytics: BeanieAnalyticsRepository) -> None:
    saved = await save(
        fields(user_id=1, kills=30, deaths=10, score=6000, captures=1, accuracy=(None,)),
        fields(user_id=1, kills=12, deaths=0, score=4000, captures=5, accuracy=(21.0, 25.0)),
        fields(user_id=1, kills=44, deaths=40, score=9000, captures=0, accuracy=()),
        fields(Mode.OVERLOAD, user_id=1, kills=60, deaths=1),
        fields(user_id=2, kills=80, deaths=1),
    )

    bests = await analytics.personal_bests(1, Mode.HARDPOINT)
    before_stomp = await analytics.personal_bests(1, Mode.HARDPOINT, excluding_match_id=saved[1].id)

    assert bests[Stat.KILLS] == 44
    assert bests[Stat.KD] == 12.0
    assert bests[Stat.DEATHS] == 0
    assert bests[Stat.SCORE] == 9000
    assert bests[Stat.CAPTURES] == 5
    assert bests[Stat.ACCURACY] == 23.0
    assert set(bests) == {*Stat} - {
        Stat.PLANTS,
        Stat.DEFUSES,
        Stat.OVERLOADS,
        Stat.DEVICE_CARRY_TIME,
    }
    assert before_stomp[Stat.KD] == 3.0
    assert Stat.ACCURACY not in before_stomp
    assert await analytics.personal_bests(1, Mode.SEARCH_AND_DESTROY) == {}


async def test_personal_bests_of_a_season_match_python(
    season: FakeAnalytics, analytics: BeanieAnalyticsRepository
) -> None:
    for user_id in USERS:
        for mode in Mode:
            actual = await analytics.personal_bests(user_id, mode)
            expected = await season.personal_bests(user_id, mode)
            assert actual == pytest.approx(expected)


# Weekly totals


async def test_week_totals_cover_since_up_to_but_not_including_until(
    analytics: BeanieAnalyticsRepository,
) -> None:
    since = T0 - WEEK
    await save(
        fields(user_id=1, result="win", kills=20, deaths=10, played_at=since),
        fields(user_id=1, result="loss", kills=10, deaths=10, played_at=T0 - timedelta(days=1)),
        fields(user_id=2, result="draw", kills=5, deaths=0, played_at=T0 - timedelta(days=2)),
        fields(user_id=3, result="win", kills=30, deaths=20, played_at=T0 - timedelta(days=3)),
        fields(user_id=4, result="win", kills=9, deaths=9, played_at=T0 - timedelta(days=4)),
        fields(user_id=5, result="win", kills=99, deaths=1, played_at=T0),  # next week
        fields(user_id=6, result="win", kills=99, deaths=1, played_at=since, guild_id=999),
    )

    week = await analytics.week_totals(111, since, T0)

    assert week == WeekTotals(
        matches=5,
        players=4,
        wins=3,
        losses=1,
        kills=74,
        deaths=49,
        top_players=[
            LeaderboardRow(user_id=2, value=5.0, matches=1),
            LeaderboardRow(user_id=1, value=1.5, matches=2),
            LeaderboardRow(user_id=3, value=1.5, matches=1),
        ],
    )


async def test_an_empty_week_is_all_zeros(analytics: BeanieAnalyticsRepository) -> None:
    week = await analytics.week_totals(111, T0 - WEEK, T0)

    assert week == WeekTotals(
        matches=0, players=0, wins=0, losses=0, kills=0, deaths=0, top_players=[]
    )


async def test_week_totals_of_a_season_match_python(
    season: FakeAnalytics, analytics: BeanieAnalyticsRepository
) -> None:
    for guild_id in GUILDS:
        for weeks_ago in range(4):
            until = T0 + timedelta(minutes=1) - weeks_ago * WEEK
            actual = await analytics.week_totals(guild_id, until - WEEK, until)
            expected = await season.week_totals(guild_id, until - WEEK, until)
            assert actual.model_dump(exclude={"top_players"}) == expected.model_dump(
                exclude={"top_players"}
            )
            assert_same_rows(actual.top_players, expected.top_players)


# Query plans: among other servers', players' and modes' matches, each aggregation's opening
# $match must be answered by its index alone. Two signs of it: the index scan leaves no
# predicate to filter the fetched documents with, and the documents examined are the ones
# returned (SecantusDB reports only the first faithfully; mongod both).

Query = Callable[[], Awaitable[Any]]


def analytics_queries(analytics: BeanieAnalyticsRepository) -> dict[str, Query]:
    board = analytics.leaderboard
    return {
        "leaderboard": lambda: board(501, Stat.KD, since=None, mode=None, min_matches=1, limit=5),
        "leaderboard by mode": lambda: board(
            501, Stat.SCORE, since=None, mode=Mode.OVERLOAD, min_matches=1, limit=5
        ),
        "leaderboard since": lambda: board(
            502, Stat.ACCURACY, since=T0 - WEEK, mode=None, min_matches=1, limit=5
        ),
        "leaderboard by mode since": lambda: board(
            502, Stat.PLANTS, since=T0 - WEEK, mode=None, min_matches=1, limit=5
        ),
        "series": lambda: analytics.series(12, Stat.KD, guild_id=None, mode=None, last=5),
        "series by mode": lambda: analytics.series(
            12, Stat.CAPTURES, guild_id=None, mode=None, last=5
        ),
        "series in a server": lambda: analytics.series(
            13, Stat.SCORE, guild_id=501, mode=None, last=5
        ),
        "series in a server by mode": lambda: analytics.series(
            13, Stat.SCORE, guild_id=501, mode=Mode.SEARCH_AND_DESTROY, last=5
        ),
        "personal bests": lambda: analytics.personal_bests(14, Mode.HARDPOINT),
        "personal bests before a match": lambda: analytics.personal_bests(
            14, Mode.HARDPOINT, excluding_match_id="0123456789abcdef01234567"
        ),
        "week totals": lambda: analytics.week_totals(502, T0 - WEEK, T0),
        "summary": lambda: analytics.summary(12, guild_id=None, mode=None, since=None),
        "summary since, in a server, by mode": lambda: analytics.summary(
            12, guild_id=501, mode=Mode.HARDPOINT, since=T0 - 2 * WEEK
        ),
    }


# Leaderboards and summaries read their period's day rollups, and its first day's matches.
READS_TWO = {
    "leaderboard since",
    "leaderboard by mode since",
    "summary since, in a server, by mode",
}


@dataclass(frozen=True)
class Scan:
    command: dict[str, Any]
    examined: int
    returned: int
    residual_filters: list[Any]


async def test_analytics_queries_read_only_what_they_aggregate(
    season: FakeAnalytics,
    analytics: BeanieAnalyticsRepository,
    query_recorder: QueryRecorder,
    database: Database,
) -> None:
    for name, query in analytics_queries(analytics).items():
        scans = await scans_of(query, query_recorder, database)

        assert len(scans) == (2 if name in READS_TWO else 1), name
        assert any(scan.returned for scan in scans), f"nothing matched, proves nothing: {name}"
        for scan in scans:
            where = f"{name}: {scan.command}"
            assert not scan.residual_filters, f"filtered after the index: {where}"
            assert scan.examined == scan.returned, f"examined {scan.examined}: {where}"


async def scans_of(query: Query, recorder: QueryRecorder, database: Database) -> list[Scan]:
    recorder.commands.clear()
    await query()
    commands = list(recorder.commands)
    recorder.enabled = False
    try:
        return [await _scan(database, body) for c in commands for body in explainable(c)]
    finally:
        recorder.enabled = True


async def _scan(database: Database, body: dict[str, Any]) -> Scan:
    raw = await database.db.command("explain", body, verbosity="executionStats")
    planner = raw.get("queryPlanner") or raw["stages"][0]["$cursor"]["queryPlanner"]
    filters = []
    stage: dict[str, Any] | None = planner["winningPlan"]
    while stage:
        if stage.get("filter"):
            filters.append(stage["filter"])
        stage = stage.get("inputStage")
    plan = await explain(database.db, body)
    return Scan(body, plan.examined, plan.returned, filters)


# Summaries


async def test_a_summary_counts_results_pools_kd_and_keeps_the_newest_of_equal_bests(
    analytics: BeanieAnalyticsRepository,
) -> None:
    saved = await save(
        fields(
            user_id=1,
            result="win",
            kills=30,
            deaths=10,
            score=7000,
            accuracy=(20.0,),
            played_at=T0 - timedelta(hours=3),
        ),
        fields(
            user_id=1,
            result="loss",
            kills=10,
            deaths=20,
            score=7000,
            accuracy=(None,),
            played_at=T0 - timedelta(hours=2),
        ),
        fields(
            user_id=1,
            result="draw",
            kills=8,
            deaths=0,
            score=2000,
            accuracy=(30.0, 40.0),
            played_at=T0 - timedelta(hours=1),
        ),
        fields(user_id=2, kills=99, deaths=1),  # another player
    )

    summary = await analytics.summary(1, guild_id=None, mode=None, since=None)

    assert (summary.matches, summary.wins, summary.losses, summary.draws) == (3, 1, 1, 1)
    assert (summary.kills, summary.deaths) == (48, 30)
    assert summary.kd == pytest.approx(48 / 30)
    assert summary.win_rate == pytest.approx(1 / 3)
    averages = {a.stat: (a.value, a.matches) for a in summary.averages}
    assert averages[Stat.KILLS] == (pytest.approx(16), 3)
    assert averages[Stat.ACCURACY] == (pytest.approx(27.5), 2)  # one match shows none
    bests = {b.stat: (b.value, b.match_id) for b in summary.bests}
    assert bests[Stat.SCORE] == (7000, saved[1].id)  # a tie: the newer match
    assert bests[Stat.KD] == (8, saved[2].id)  # deathless: its kills
    assert bests[Stat.DEATHS] == (0, saved[2].id)  # fewest is best
    assert [b.stat for b in summary.bests] == [s for s in Stat if s.mode is None], (
        "every stat all modes have, in the order of Stat"
    )


async def test_an_empty_summary_is_zeros_without_averages_or_bests(
    analytics: BeanieAnalyticsRepository,
) -> None:
    summary = await analytics.summary(1, guild_id=111, mode=Mode.OVERLOAD, since=T0)

    assert (summary.matches, summary.kd, summary.win_rate) == (0, None, None)
    assert (summary.averages, summary.bests) == ((), ())


async def test_summaries_of_a_season_match_python(
    season: FakeAnalytics, analytics: BeanieAnalyticsRepository
) -> None:
    for user_id in USERS:
        for guild_id in (None, *GUILDS):
            for mode in (None, *Mode):
                for since in (None, T0 - 2 * WEEK):
                    args: dict[str, Any] = {"guild_id": guild_id, "mode": mode, "since": since}
                    actual = await analytics.summary(user_id, **args)
                    expected = await season.summary(user_id, **args)
                    assert actual.matches, f"{user_id} {args}: the season is too sparse"
                    exact = {"averages", "bests"}
                    assert actual.model_dump(exclude=exact) == expected.model_dump(exclude=exact)
                    assert [(a.stat, a.matches) for a in actual.averages] == [
                        (a.stat, a.matches) for a in expected.averages
                    ]
                    assert [a.value for a in actual.averages] == pytest.approx(
                        [a.value for a in expected.averages]
                    )
                    assert [(b.stat, b.match_id, b.played_at) for b in actual.bests] == [
                        (b.stat, b.match_id, b.played_at) for b in expected.bests
                    ]
                    assert [b.value for b in actual.bests] == pytest.approx(
                        [b.value for b in expected.bests]
                    )
