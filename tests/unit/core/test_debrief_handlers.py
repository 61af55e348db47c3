"""/debrief and the debrief subscriber, through the bus with fakes.

The weekly digest is in test_digest_deliveries.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.commands import AnalyzeScreenshots, RecordMatch, Upload
from app.core.debriefs import DebriefSource
from app.core.errors import AIUnavailable, CooldownActive, DuplicateMatch, InvalidAttachment
from app.core.game.errors import InvalidMatchStats
from app.core.guilds import GuildConfig
from app.core.matches import MatchSource
from tests.support.factories import T0, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import FakeAI, fake_ai, fake_bus, fake_dependencies

PNG = b"\x89PNG\r\n\x1a\n" + b"scoreboard pixels"
GUILD, USER = 1, 3


def analyze(interaction_id: int = 10, data: bytes = PNG) -> AnalyzeScreenshots:
    return AnalyzeScreenshots(
        guild_id=GUILD,
        channel_id=2,
        user_id=USER,
        interaction_id=interaction_id,
        uploads=(Upload(filename="board.png", declared_type="image/png", data=data),),
        size_limit=10 * 2**20,
        played_at=T0,
    )


async def test_a_read_match_is_saved_with_its_ai_debrief() -> None:
    deps, ai = fake_dependencies(), FakeAI(raw_hardpoint())
    match = await fake_bus(deps, fake_ai(ai)).handle(analyze())

    debrief = await deps.debriefs.get_for_match(match.id)
    assert debrief is not None and debrief.source is DebriefSource.AI
    assert ai.calls == ["read_stats", "write_debrief"]
    assert debrief.comparison  # the deterministic comparison is always there


async def test_when_the_ai_cannot_write_the_match_gets_the_template_debrief() -> None:
    deps, ai = fake_dependencies(), FakeAI(raw_hardpoint())
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, debrief_cooldown_s=0))
    bus = fake_bus(deps, fake_ai(ai))
    await bus.handle(analyze())
    ai.calls.clear()

    async def read_but_not_write(*args: object) -> object:
        ai.down = True
        return await FakeAI(raw_hardpoint()).read_stats([], None)

    ai.read_stats = read_but_not_write  # type: ignore[method-assign]
    second = await bus.handle(analyze(interaction_id=11, data=PNG + b"another"))

    debrief = await deps.debriefs.get_for_match(second.id)
    assert debrief is not None and debrief.source is DebriefSource.TEMPLATE
    assert debrief.model == "template"
    assert debrief.headline and debrief.strengths


async def test_the_ai_down_while_reading_saves_nothing() -> None:
    deps = fake_dependencies()
    with pytest.raises(AIUnavailable):
        await fake_bus(deps, fake_ai(FakeAI(down=True))).handle(analyze())
    assert deps.matches.rows == {}


async def test_a_renamed_non_image_is_refused_before_the_ai() -> None:
    deps, ai = fake_dependencies(), FakeAI(raw_hardpoint())
    with pytest.raises(InvalidAttachment, match=r"board\.png"):
        await fake_bus(deps, fake_ai(ai)).handle(analyze(data=b"MZ\x90\x00 not an image"))
    assert ai.calls == []


async def test_reupload_and_cooldown() -> None:
    clock = FrozenClock()
    deps = fake_dependencies(clock)
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, debrief_cooldown_s=30))
    bus = fake_bus(deps, fake_ai(FakeAI(raw_hardpoint())))
    first = await bus.handle(analyze())

    with pytest.raises(DuplicateMatch, match=first.id):
        await bus.handle(analyze(interaction_id=11))
    with pytest.raises(CooldownActive, match="30 s"):
        await bus.handle(analyze(interaction_id=12, data=PNG + b"new"))
    clock.now += timedelta(seconds=31)
    await bus.handle(analyze(interaction_id=13, data=PNG + b"new"))
    assert len(deps.matches.rows) == 2


async def test_a_read_that_fails_costs_no_cooldown() -> None:
    clock = FrozenClock()
    deps = fake_dependencies(clock)
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, debrief_cooldown_s=30))
    ai = FakeAI(raw_hardpoint(), down=True)
    bus = fake_bus(deps, fake_ai(ai))

    with pytest.raises(AIUnavailable):
        await bus.handle(analyze())
    ai.down = False
    saved = await bus.handle(analyze(interaction_id=11))  # at once: no "Slow down"

    assert deps.matches.rows.keys() == {saved.id}
    with pytest.raises(CooldownActive):  # a saved match does start it
        await bus.handle(analyze(interaction_id=12, data=PNG + b"new"))


async def test_stats_that_do_not_add_up_cost_no_cooldown() -> None:
    deps = fake_dependencies(FrozenClock())
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, debrief_cooldown_s=30))
    ai = FakeAI(raw_hardpoint(deaths=-4))
    bus = fake_bus(deps, fake_ai(ai))

    with pytest.raises(InvalidMatchStats):
        await bus.handle(analyze())
    ai.raw_stats = raw_hardpoint()

    assert await bus.handle(analyze(interaction_id=11))


async def test_log_has_a_cooldown_of_its_own() -> None:
    clock = FrozenClock()
    deps = fake_dependencies(clock)
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, debrief_cooldown_s=30))
    bus = fake_bus(deps, fake_ai(FakeAI(raw_hardpoint())))
    await bus.handle(analyze())  # a /debrief does not hold up a /log

    await bus.handle(log(interaction_id=20))
    with pytest.raises(CooldownActive, match="30 s"):
        await bus.handle(log(interaction_id=21))
    clock.now += timedelta(seconds=31)
    with pytest.raises(InvalidMatchStats):  # refused for its stats, costing no cooldown
        await bus.handle(log(interaction_id=22, raw_stats=raw_hardpoint(kills=-1)))
    await bus.handle(log(interaction_id=23))

    assert len(deps.matches.rows) == 3


def log(interaction_id: int, raw_stats: dict[str, object] | None = None) -> RecordMatch:
    return RecordMatch(
        guild_id=GUILD,
        channel_id=2,
        user_id=USER,
        interaction_id=interaction_id,
        raw_stats=raw_stats or raw_hardpoint(),
        source=MatchSource.MANUAL,
        played_at=T0,
    )
