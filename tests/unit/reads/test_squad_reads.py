"""/compare and /session through the read layer, over the in-memory repositories."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.actors import NotAMember
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.reads.compare import CompareWithYourself, NotInThisServer, compare, table
from app.core.reads.sessions import (
    LOOKBACK,
    MAX_SESSION_MATCHES,
    InvalidGap,
    current_session,
)
from tests.support.factories import T0
from tests.unit.debriefing.builders import fields
from tests.unit.fakes import FakeMatches, FrozenClock
from tests.unit.fakes_analytics import FakeAnalytics
from tests.unit.reads.world import (
    ADMIN_ID,
    AWAY,
    HOME,
    MATE,
    MATE_ID,
    OWNER,
    OWNER_ID,
    STRANGER,
    STRANGER_ID,
)


@pytest.fixture
async def matches() -> FakeMatches:
    """OWNER: three HOME matches (kills 10, 20, 30) and a 60-kill one in AWAY.
    MATE: two HOME matches (kills 25, 35). STRANGER: one AWAY match."""
    matches = FakeMatches()
    for hour, kills in enumerate((30, 20, 10)):
        at = T0 - timedelta(hours=hour)
        await matches.add(fields(guild_id=HOME, user_id=OWNER_ID, kills=kills, played_at=at))
    await matches.add(fields(guild_id=AWAY, user_id=OWNER_ID, kills=60))
    for hour, kills in enumerate((35, 25)):
        at = T0 - timedelta(hours=hour)
        await matches.add(fields(guild_id=HOME, user_id=MATE_ID, kills=kills, played_at=at))
    await matches.add(fields(guild_id=AWAY, user_id=STRANGER_ID))
    return matches


async def test_compare_puts_both_players_side_by_side_in_the_server(matches) -> None:
    result = await compare(FakeAnalytics(matches), OWNER, HOME, MATE_ID, Stat.KILLS)

    assert (result.you.user_id, result.them.user_id) == (OWNER_ID, MATE_ID)
    assert (result.you.numbers.matches, result.them.numbers.matches) == (3, 2)
    assert [p.value for p in result.you.trend.points] == [10, 20, 30]  # not AWAY's 60
    assert (result.you.stat_average, result.them.stat_average) == (20, 30)
    assert (result.you.stat_best, result.them.stat_best) == (30, 35)


async def test_the_table_puts_the_leader_of_each_line_first(matches) -> None:
    result = await compare(FakeAnalytics(matches), OWNER, HOME, MATE_ID, Stat.DEATHS)

    rows = {row.label: row for row in table(result)}

    assert (rows["Matches"].you, rows["Matches"].them, rows["Matches"].leader) == ("3", "2", "you")
    # Both have the default 16 deaths a match: a tie, nobody ahead; fewer would lead.
    assert rows["Deaths, last 3"].leader is None
    assert rows["Win rate"].you == "100%"


async def test_compare_is_refused_outside_a_server_of_the_actor(matches) -> None:
    with pytest.raises(NotAMember):
        await compare(FakeAnalytics(matches), STRANGER, HOME, OWNER_ID)
    with pytest.raises(NotAMember):
        await compare(FakeAnalytics(matches), OWNER, AWAY, STRANGER_ID)


async def test_a_player_with_no_matches_in_the_server_is_not_found(matches) -> None:
    # STRANGER plays, but in AWAY only: nothing of theirs may show in HOME.
    with pytest.raises(NotInThisServer):
        await compare(FakeAnalytics(matches), OWNER, HOME, STRANGER_ID)
    with pytest.raises(NotInThisServer):
        await compare(FakeAnalytics(matches), OWNER, HOME, ADMIN_ID)


async def test_comparing_with_yourself_is_refused(matches) -> None:
    with pytest.raises(CompareWithYourself):
        await compare(FakeAnalytics(matches), MATE, HOME, MATE_ID)


async def test_a_mode_only_stat_compares_its_mode(matches) -> None:
    result = await compare(FakeAnalytics(matches), OWNER, HOME, MATE_ID, Stat.CAPTURES)

    assert result.mode is Mode.HARDPOINT


async def test_the_session_is_the_latest_run_without_a_long_break() -> None:
    matches = FakeMatches()
    for minutes in (0, 30, 80, 130, 400, 420):  # a five-hour break after the fourth
        at = T0 - timedelta(minutes=minutes)
        await matches.add(
            fields(guild_id=HOME, user_id=OWNER_ID, kills=10 + minutes // 10, played_at=at)
        )
    clock = FrozenClock(T0 + timedelta(minutes=20))

    session = await current_session(matches, clock, OWNER, guild_id=HOME)

    assert len(session.matches) == 4 and session.ongoing and not session.cut_short
    assert session.started_at == T0 - timedelta(minutes=130)
    assert session.kills == sum(10 + m // 10 for m in (0, 30, 80, 130))
    assert session.best_match is not None and session.best_match.stats.player.kills == 23


async def test_a_session_over_hours_ago_is_the_last_one_not_the_current() -> None:
    matches = FakeMatches()
    await matches.add(fields(guild_id=HOME, user_id=OWNER_ID, played_at=T0))

    later = FrozenClock(T0 + timedelta(hours=5))
    session = await current_session(matches, later, OWNER, guild_id=HOME)

    assert len(session.matches) == 1 and not session.ongoing


async def test_a_session_shows_only_the_actors_own_matches_of_the_server(matches) -> None:
    session = await current_session(matches, FrozenClock(T0), MATE, guild_id=HOME)

    assert {m.user_id for m in session.matches} == {MATE_ID}
    with pytest.raises(NotAMember):
        await current_session(matches, FrozenClock(T0), MATE, guild_id=AWAY)


async def test_a_long_session_is_cut_short_at_the_bound() -> None:
    matches = FakeMatches()
    for minutes in range(MAX_SESSION_MATCHES + 5):
        at = T0 - timedelta(minutes=minutes)
        await matches.add(fields(guild_id=HOME, user_id=OWNER_ID, played_at=at))

    session = await current_session(matches, FrozenClock(T0), OWNER, guild_id=HOME)

    assert len(session.matches) == MAX_SESSION_MATCHES and session.cut_short


@pytest.mark.parametrize("gap", [timedelta(minutes=10), timedelta(hours=13)])
async def test_a_gap_out_of_range_is_refused(gap: timedelta) -> None:
    with pytest.raises(InvalidGap):
        await current_session(FakeMatches(), FrozenClock(T0), OWNER, gap=gap)


async def test_a_session_older_than_the_lookback_is_not_read() -> None:
    matches = FakeMatches()
    before = T0 - LOOKBACK - timedelta(minutes=1)
    await matches.add(fields(guild_id=HOME, user_id=OWNER_ID, played_at=before))

    session = await current_session(matches, FrozenClock(T0), OWNER, guild_id=HOME)

    assert session.matches == ()


async def test_a_session_reaching_back_to_the_lookback_may_go_on_past_it() -> None:
    matches = FakeMatches()
    start = T0 - LOOKBACK + timedelta(minutes=30)
    await matches.add(fields(guild_id=HOME, user_id=OWNER_ID, played_at=start))

    session = await current_session(matches, FrozenClock(T0), OWNER, guild_id=HOME)

    assert len(session.matches) == 1 and session.cut_short


async def test_no_matches_is_an_empty_session() -> None:
    session = await current_session(FakeMatches(), FrozenClock(T0), OWNER)

    assert session.matches == () and session.kd is None and session.best_match is None
