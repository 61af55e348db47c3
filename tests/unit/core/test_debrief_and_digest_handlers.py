"""/debrief, the debrief subscriber and the weekly digest, through the bus with fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.commands import AnalyzeScreenshots, PostDigest, Upload
from app.core.debriefs import DebriefSource
from app.core.errors import AIUnavailable, CooldownActive, DuplicateMatch, InvalidAttachment
from app.core.guilds import GuildConfig
from app.core.handlers.digests import DigestAlreadyPosted, NoDigestChannel
from tests.support.factories import T0, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import (
    FakeAI,
    FakeAnnouncer,
    FakeChannels,
    fake_ai,
    fake_bus,
    fake_dependencies,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"scoreboard pixels"
GUILD, USER = 1, 3
# The server's digest channel, as Discord knows it.
CHANNELS = FakeChannels({77: GUILD})


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


async def test_the_digest_is_posted_once_per_week_and_retried_after_a_failure() -> None:
    deps = fake_dependencies(FrozenClock(T0))
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, digest_channel_id=77))
    announcer = FakeAnnouncer()
    bus = fake_bus(deps, extra_dependencies={"announcer": announcer, "channels": CHANNELS})

    week = await bus.handle(PostDigest(guild_id=GUILD))
    with pytest.raises(DigestAlreadyPosted):
        await bus.handle(PostDigest(guild_id=GUILD))

    assert [(channel, posted_week) for channel, posted_week, _ in announcer.posted] == [(77, week)]


async def test_a_failed_post_gives_the_week_back() -> None:
    deps = fake_dependencies(FrozenClock(T0))
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, digest_channel_id=77))

    class Broken(FakeAnnouncer):
        async def post_digest(self, *args: object) -> None:
            raise ConnectionError("Discord is down")

    with pytest.raises(ConnectionError):
        await fake_bus(
            deps, extra_dependencies={"announcer": Broken(), "channels": CHANNELS}
        ).handle(PostDigest(guild_id=GUILD))
    announcer = FakeAnnouncer()
    await fake_bus(deps, extra_dependencies={"announcer": announcer, "channels": CHANNELS}).handle(
        PostDigest(guild_id=GUILD)
    )
    assert len(announcer.posted) == 1


async def test_no_digest_without_a_channel() -> None:
    with pytest.raises(NoDigestChannel):
        await fake_bus(fake_dependencies()).handle(PostDigest(guild_id=GUILD))
