"""Seasons through the bus: an admin starts one, the ending season's top three are frozen in
it, a replayed start changes nothing, and the leaderboard defaults to the current season."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import timedelta

import pytest

from app.core.actors import Actor
from app.core.bootstrap import Dependencies
from app.core.commands import StartSeason
from app.core.errors import Forbidden
from app.core.game.metrics import Stat
from app.core.reads.options import Period
from app.core.reads.stats import Leaderboard, Summary, leaderboard, summary
from app.core.seasons import BEFORE_SEASONS, InvalidSeasonName, SeasonNameTaken
from tests.support.factories import T0, match_fields, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import fake_bus, fake_dependencies

GUILD = 60
ADMIN = Actor(9, admin_of=frozenset({GUILD}))
MEMBER = Actor(1, member_of=frozenset({GUILD}))


def start(name: str, key: str, actor: Actor = ADMIN) -> StartSeason:
    return StartSeason(guild_id=GUILD, actor=actor, name=name, idempotency_key=key)


async def play(
    deps: Dependencies, user_id: int, kills: int, *, days_ago: float, n: int = 3
) -> None:
    for i in range(n):
        await deps.matches.add(
            match_fields(
                guild_id=GUILD,
                user_id=user_id,
                raw_stats=raw_hardpoint(kills=kills, deaths=10),
                played_at=T0 - timedelta(days=days_ago, minutes=i),
            )
        )


async def test_starting_a_season_freezes_the_ending_ones_top_three() -> None:
    clock = FrozenClock(T0)
    deps = fake_dependencies(clock)
    for user, kills in ((1, 40), (2, 35), (3, 30), (4, 28)):
        await play(deps, user, kills, days_ago=2)

    season = await fake_bus(deps).handle(start(" Spring  cup ", "interaction:1"))

    assert (season.number, season.name, season.started_at) == (1, "Spring cup", T0)
    assert (season.ended.number, season.ended.name) == (0, BEFORE_SEASONS)
    kd = next(p for p in season.ended.podiums if p.stat is Stat.KD)
    assert [(p.rank, p.user_id, p.value) for p in kd.places] == [
        (1, 1, 4.0),
        (2, 2, 3.5),
        (3, 3, 3.0),
    ]
    deaths = next(p for p in season.ended.podiums if p.stat is Stat.DEATHS)
    assert len(deaths.places) == 3
    assert all(p.places for p in season.ended.podiums)


async def test_a_replayed_start_returns_the_same_season_and_starts_no_other() -> None:
    clock = FrozenClock(T0)
    deps = fake_dependencies(clock)
    bus = fake_bus(deps)

    first = await bus.handle(start("Spring", "interaction:1"))
    clock.now = T0 + timedelta(minutes=5)
    replayed = await bus.handle(start("Spring", "interaction:1"))

    assert replayed == first
    assert len(await deps.seasons.all_of(GUILD)) == 1


async def test_the_next_season_ends_the_current_one_with_its_own_results() -> None:
    clock = FrozenClock(T0)
    deps = fake_dependencies(clock)
    bus = fake_bus(deps)
    await play(deps, 1, 30, days_ago=5)  # before the first season: not in its results
    spring = await bus.handle(start("Spring", "interaction:1"))
    clock.now = T0 + timedelta(days=10)
    await play(deps, 2, 30, days_ago=-3)

    summer = await bus.handle(start("Summer", "interaction:2"))

    assert (summer.number, summer.ended.name, summer.ended.started_at) == (2, "Spring", T0)
    kd = next(p for p in summer.ended.podiums if p.stat is Stat.KD)
    assert [p.user_id for p in kd.places] == [2]
    assert spring.ended.podiums[0].places[0].user_id == 1


async def test_only_an_admin_starts_a_season_with_a_new_valid_name() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps)
    await bus.handle(start("Spring", "interaction:1"))

    with pytest.raises(Forbidden):
        await bus.handle(start("Summer", "interaction:2", actor=MEMBER))
    with pytest.raises(SeasonNameTaken):
        await bus.handle(start("SPRING", "interaction:3"))
    with pytest.raises(InvalidSeasonName):
        await bus.handle(start("  ", "interaction:4"))

    assert [s.name for s in await deps.seasons.all_of(GUILD)] == ["Spring"]


async def test_the_leaderboard_defaults_to_the_current_season_or_all_time() -> None:
    clock = FrozenClock(T0)
    deps = fake_dependencies(clock)
    await play(deps, 1, 30, days_ago=200)

    async def board() -> Leaderboard:
        return await leaderboard(
            deps.analytics, clock, MEMBER, GUILD, Stat.KD, seasons=deps.seasons, min_matches=1
        )

    before = await board()
    season = await fake_bus(deps).handle(start("Spring", "interaction:1"))
    during = await board()

    assert (before.period, before.season) == (Period.SEASON, None)
    assert [e.row.user_id for e in before.entries] == [1]
    assert (during.season, during.entries) == (season, ())


async def test_a_season_summary_counts_from_the_servers_season_for_its_members() -> None:
    clock = FrozenClock(T0)
    deps = fake_dependencies(clock)
    await play(deps, MEMBER.user_id, 30, days_ago=5)
    await fake_bus(deps).handle(start("Spring", "interaction:1"))
    clock.now = T0 + timedelta(days=1)
    await play(deps, MEMBER.user_id, 30, days_ago=-0.5, n=1)

    def season_summary(where: int | None) -> Awaitable[Summary]:
        return summary(
            deps.analytics,
            clock,
            MEMBER,
            guild_id=where,
            period=Period.SEASON,
            seasons=deps.seasons,
        )

    assert (await season_summary(GUILD)).numbers.matches == 1
    assert (await season_summary(None)).numbers.matches == 4  # no server: all time
