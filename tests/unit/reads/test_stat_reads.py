"""Summaries, trends and leaderboards through the read layer, over the in-memory analytics."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.actors import Actor, NotAMember
from app.core.errors import Forbidden
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.reads.options import Period
from app.core.reads.stats import LEADERBOARD_MIN_MATCHES, leaderboard, summary, trend
from tests.support.factories import T0
from tests.unit.debriefing.builders import fields
from tests.unit.fakes import FakeMatches, FrozenClock
from tests.unit.fakes_analytics import FakeAnalytics
from tests.unit.fakes_links import FakeSeasons
from tests.unit.reads.world import AWAY, HOME, MATE, MATE_ID, OWNER, OWNER_ID, STRANGER

NOW = T0
# No server here ever started a season: the season period is all time.
SEASONS = FakeSeasons()


@pytest.fixture
async def analytics() -> FakeAnalytics:
    """OWNER: five HOME Hardpoint matches a day apart, kills 10..50, and an old AWAY one.
    MATE: two HOME matches this week."""
    matches = FakeMatches()
    for day, kills in enumerate((50, 40, 30, 20, 10)):
        await matches.add(
            fields(
                guild_id=HOME,
                user_id=OWNER_ID,
                kills=kills,
                deaths=10,
                played_at=NOW - timedelta(days=day, hours=1),
            )
        )
    await matches.add(
        fields(Mode.OVERLOAD, guild_id=AWAY, user_id=OWNER_ID, played_at=NOW - timedelta(days=60))
    )
    for day in (1, 2):
        await matches.add(
            fields(
                guild_id=HOME,
                user_id=MATE_ID,
                kills=5,
                deaths=10,
                played_at=NOW - timedelta(days=day),
            )
        )
    return FakeAnalytics(matches)


async def test_a_summary_is_always_the_callers_own_over_the_period(
    analytics: FakeAnalytics,
) -> None:
    clock = FrozenClock(NOW)

    ever = await summary(analytics, clock, OWNER)
    week = await summary(analytics, clock, OWNER, period=Period.WEEK)
    overload = await summary(analytics, clock, OWNER, mode=Mode.OVERLOAD)
    mates = await summary(analytics, clock, MATE, guild_id=HOME)

    assert (ever.user_id, ever.numbers.matches) == (OWNER_ID, 6)
    assert (week.period, week.numbers.matches) == (Period.WEEK, 5)
    assert week.numbers.kills == 150 and week.numbers.kd == 3.0
    assert overload.numbers.matches == 1
    assert (mates.user_id, mates.numbers.matches) == (MATE_ID, 2)


async def test_a_trend_carries_its_rolling_average(analytics: FakeAnalytics) -> None:
    series = await trend(analytics, OWNER, Stat.KILLS, last=5, guild_id=HOME)

    assert [p.value for p in series.points] == [10, 20, 30, 40, 50]
    assert [p.rolling_average for p in series.points] == [10, 15, 20, 25, 30]
    assert (series.user_id, series.mode) == (OWNER_ID, None)


async def test_a_squadmates_trend_needs_a_server_you_share(analytics: FakeAnalytics) -> None:
    mates = await trend(analytics, OWNER, Stat.KD, last=10, user_id=MATE_ID, guild_id=HOME)

    assert (mates.user_id, len(mates.points)) == (MATE_ID, 2)
    with pytest.raises(Forbidden):
        await trend(analytics, STRANGER, Stat.KD, last=10, user_id=OWNER_ID)
    with pytest.raises(NotAMember):
        await trend(analytics, STRANGER, Stat.KD, last=10, user_id=OWNER_ID, guild_id=HOME)


async def test_a_mode_only_stat_names_its_mode(analytics: FakeAnalytics) -> None:
    series = await trend(analytics, OWNER, Stat.CAPTURES, last=3)

    assert series.mode is Mode.HARDPOINT


async def test_a_leaderboard_ranks_the_period_for_members_only(analytics: FakeAnalytics) -> None:
    clock = FrozenClock(NOW)

    board = await leaderboard(
        analytics, clock, MATE, HOME, Stat.KD, seasons=SEASONS, period=Period.WEEK, min_matches=1
    )

    assert [(e.rank, e.row.user_id) for e in board.entries] == [(1, OWNER_ID), (2, MATE_ID)]
    assert (board.period, board.mode) == (Period.WEEK, None)
    with pytest.raises(NotAMember):
        await leaderboard(analytics, clock, STRANGER, HOME, Stat.KD, seasons=SEASONS)
    admin_elsewhere = Actor(9, admin_of=frozenset({AWAY}))
    with pytest.raises(NotAMember):
        await leaderboard(analytics, clock, admin_elsewhere, HOME, Stat.KD, seasons=SEASONS)


async def test_by_default_a_leaderboard_leaves_out_players_with_few_matches(
    analytics: FakeAnalytics,
) -> None:
    clock = FrozenClock(NOW)

    everyone = await leaderboard(
        analytics, clock, MATE, HOME, Stat.KD, seasons=SEASONS, min_matches=1
    )
    board = await leaderboard(analytics, clock, MATE, HOME, Stat.KD, seasons=SEASONS)

    assert board.min_matches == LEADERBOARD_MIN_MATCHES == 3
    few = [e.row.user_id for e in everyone.entries if e.row.matches < LEADERBOARD_MIN_MATCHES]
    assert few, "the data has a player below the minimum"
    assert [e.row.user_id for e in board.entries] == [
        e.row.user_id for e in everyone.entries if e.row.user_id not in few
    ]


async def test_the_default_leaderboard_is_the_season_all_time_without_one(
    analytics: FakeAnalytics,
) -> None:
    clock = FrozenClock(NOW)

    month = await leaderboard(
        analytics,
        clock,
        STRANGER,
        AWAY,
        Stat.KD,
        seasons=SEASONS,
        period=Period.MONTH,
        min_matches=1,
    )
    season = await leaderboard(
        analytics, clock, STRANGER, AWAY, Stat.KD, seasons=SEASONS, min_matches=1
    )

    assert month.entries == ()  # OWNER's AWAY match is 60 days old
    assert (season.period, season.season) == (Period.SEASON, None)
    assert [e.row.user_id for e in season.entries] == [OWNER_ID]
