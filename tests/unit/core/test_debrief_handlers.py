"""/debrief and the debrief subscriber, through the bus with fakes.

The weekly digest is in test_digest_deliveries.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.commands import AnalyzeScreenshots, Upload
from app.core.debriefs import DebriefSource
from app.core.errors import AIUnavailable, CooldownActive, DuplicateMatch, InvalidAttachment
from app.core.guilds import GuildConfig
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
