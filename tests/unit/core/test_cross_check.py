"""/debrief with a second reader, through bootstrap() with fake readers.

The primary's reading is saved; the check's is compared with it and every disagreement is
flagged on the match. A check that fails, is slow or reads nonsense is dropped, never waited for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pytest

from app.core.actors import Actor
from app.core.ai import Extraction, PreparedImage, StatsReader
from app.core.commands import AnalyzeScreenshots, CorrectMatch, Upload
from app.core.cross_check import CrossCheckedReader
from app.core.errors import AIUnavailable, UnreadableScreenshot
from app.core.game.disagreements import ReaderFlag
from app.core.matches import Match
from app.shared.ai import cross_checked
from tests.support.factories import T0, raw_hardpoint
from tests.unit.wiring import FakeAI, fake_ai, fake_bus, fake_dependencies

PNG = b"\x89PNG\r\n\x1a\n" + b"scoreboard pixels"
GUILD, USER = 1, 3
KILLS = ReaderFlag(field="player.kills", used=31, other=34)
# Fast enough for a test, far enough apart for the scheduler of a shared machine.
GRACE_S = 0.2
FOREVER_S = 60.0


class SlowReader(StatsReader):
    """Reads after `delay_s`, unless cancelled first: then it remembers it was."""

    def __init__(self, raw_stats: Mapping[str, Any], delay_s: float) -> None:
        self.reader = FakeAI(raw_stats)
        self.delay_s = delay_s
        self.cancelled = False

    async def read_stats(self, images: Sequence[PreparedImage], note: str | None) -> Extraction:
        try:
            await asyncio.sleep(self.delay_s)
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        return await self.reader.read_stats(images, note)


class BrokenReader(StatsReader):
    def __init__(self, error: Exception, *, after_s: float = 0.0) -> None:
        self.error = error
        self.after_s = after_s

    async def read_stats(self, images: Sequence[PreparedImage], note: str | None) -> Extraction:
        await asyncio.sleep(self.after_s)
        raise self.error


async def cancelled(reader: SlowReader) -> bool:
    """Whether the reader is cancelled within a second: a cancellation takes a few loop turns."""
    for _ in range(100):
        if reader.cancelled:
            return True
        await asyncio.sleep(0.01)
    return False


def analyze(interaction_id: int = 10) -> AnalyzeScreenshots:
    return AnalyzeScreenshots(
        guild_id=GUILD,
        channel_id=2,
        user_id=USER,
        interaction_id=interaction_id,
        uploads=(Upload(filename="board.png", declared_type="image/png", data=PNG),),
        size_limit=10 * 2**20,
        played_at=T0,
    )


async def debriefed(primary: StatsReader, check: StatsReader, **timing: float) -> Match:
    """The match /debrief saves when `check` checks `primary`."""
    reader = CrossCheckedReader(primary, check, **({"grace_s": GRACE_S} | timing))
    match: Match = await fake_bus(
        fake_dependencies(), replace(fake_ai(FakeAI(raw_hardpoint())), stats_reader=reader)
    ).handle(analyze())
    return match


async def test_the_primary_reading_is_saved_and_each_disagreement_flagged() -> None:
    match = await debriefed(FakeAI(raw_hardpoint()), FakeAI(raw_hardpoint(kills=34)))

    assert match.stats.player.kills == 31
    assert match.reader_flags == [KILLS]


async def test_two_readers_that_agree_flag_nothing() -> None:
    assert (await debriefed(FakeAI(raw_hardpoint()), FakeAI(raw_hardpoint()))).reader_flags == []


@pytest.mark.parametrize(
    "check",
    [
        pytest.param(BrokenReader(UnreadableScreenshot()), id="unreadable"),
        pytest.param(BrokenReader(AIUnavailable()), id="unavailable"),
        pytest.param(BrokenReader(RuntimeError("worker died")), id="crashed"),
        pytest.param(FakeAI(raw_hardpoint(kills=-3)), id="invalid-reading"),
    ],
)
async def test_a_failed_check_saves_the_match_without_it_in_one_log_line(
    check: StatsReader, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.core.cross_check"):
        match = await debriefed(FakeAI(raw_hardpoint()), check)

    assert match.stats.player.kills == 31
    assert match.reader_flags == []
    lines = [r for r in caplog.records if r.name == "app.core.cross_check"]
    assert len(lines) == 1 and "saved without the check" in lines[0].getMessage()
    assert "worker died" not in lines[0].getMessage(), "an error's text stays in its traceback"


async def test_a_slow_check_holds_the_primary_up_by_the_grace_period_at_most(
    caplog: pytest.LogCaptureFixture,
) -> None:
    check = SlowReader(raw_hardpoint(kills=34), FOREVER_S)
    loop = asyncio.get_running_loop()
    started = loop.time()

    match = await debriefed(FakeAI(raw_hardpoint()), check)

    assert loop.time() - started < GRACE_S + 1.0
    assert match.reader_flags == []
    assert await cancelled(check)
    assert "not done 0.2 s after the primary" in caplog.text


async def test_a_check_finishing_within_the_grace_period_is_used() -> None:
    match = await debriefed(
        FakeAI(raw_hardpoint()), SlowReader(raw_hardpoint(kills=34), GRACE_S / 4)
    )

    assert match.reader_flags == [KILLS]


async def test_the_check_has_its_own_timeout_while_the_primary_takes_its_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    check = SlowReader(raw_hardpoint(kills=34), FOREVER_S)

    match = await debriefed(
        SlowReader(raw_hardpoint(), 0.3), check, check_timeout_s=0.05, grace_s=FOREVER_S
    )

    assert match.reader_flags == []
    assert await cancelled(check)
    assert "the check reader timed out" in caplog.text


async def test_when_the_primary_fails_the_check_is_cancelled_and_nothing_saved() -> None:
    check = SlowReader(raw_hardpoint(), FOREVER_S)
    deps = fake_dependencies()
    reader = CrossCheckedReader(BrokenReader(AIUnavailable(), after_s=0.05), check)

    with pytest.raises(AIUnavailable):
        await fake_bus(deps, replace(fake_ai(), stats_reader=reader)).handle(analyze())
    assert await cancelled(check)
    assert deps.matches.rows == {}


async def test_a_read_cancelled_midway_cancels_the_check_too() -> None:
    check = SlowReader(raw_hardpoint(), FOREVER_S)
    reader = CrossCheckedReader(SlowReader(raw_hardpoint(), FOREVER_S), check)
    reading = asyncio.ensure_future(reader.read_stats([], None))
    await asyncio.sleep(0.05)

    reading.cancel()

    with pytest.raises(asyncio.CancelledError):
        await reading
    assert await cancelled(check)


async def test_a_correction_settles_the_flags_of_the_fields_it_reviewed() -> None:
    deps = fake_dependencies()
    other = raw_hardpoint(kills=34)
    other["weapons"] = []
    reader = CrossCheckedReader(FakeAI(raw_hardpoint()), FakeAI(other))
    bus = fake_bus(deps, replace(fake_ai(), stats_reader=reader))
    match = await bus.handle(analyze())
    assert [f.field for f in match.reader_flags] == ["player.kills", "weapons"]
    owner = Actor(USER)

    fixed = await bus.handle(
        CorrectMatch(
            match_id=match.id,
            actor=owner,
            raw_stats=raw_hardpoint(kills=34),
            reviewed=frozenset({"player.kills", "player.deaths"}),
        )
    )
    assert [f.field for f in fixed.reader_flags] == ["weapons"], "weapons were not reviewed"
    assert (await deps.matches.get(match.id)) == fixed

    again = await bus.handle(
        CorrectMatch(match_id=match.id, actor=owner, raw_stats=raw_hardpoint(kills=34))
    )
    assert again.reader_flags == [], "a whole new reading settles every flag"


def test_without_a_second_reader_the_primary_reads_alone() -> None:
    primary = FakeAI(raw_hardpoint())

    assert cross_checked(primary, None) is primary
    checked = cross_checked(primary, FakeAI(raw_hardpoint()))
    assert isinstance(checked, CrossCheckedReader) and checked.primary is primary


class WarmingReader(BrokenReader):
    """Counts its warm-ups (a local model it would load)."""

    def __init__(self) -> None:
        super().__init__(AIUnavailable())
        self.warmed = 0

    async def warm_up(self) -> None:
        self.warmed += 1


async def test_warming_the_cross_checked_reader_warms_both_readers() -> None:
    primary, check = WarmingReader(), WarmingReader()

    await CrossCheckedReader(primary, check).warm_up()

    assert (primary.warmed, check.warmed) == (1, 1)


class LobbyReader(StatsReader):
    """Reads the same raw stats, with its own reading of the scoreboard's other rows."""

    def __init__(self, gamertag: str) -> None:
        self.lobby = ({"gamertag": gamertag, "team": "ally", "kills": 27},)

    async def read_stats(self, images: Sequence[PreparedImage], note: str | None) -> Extraction:
        reading = await FakeAI(raw_hardpoint()).read_stats(images, note)
        return replace(reading, lobby=self.lobby)


@pytest.mark.parametrize(
    "check",
    [LobbyReader("Vexx_TTV_misread"), BrokenReader(UnreadableScreenshot())],
    ids=["another lobby", "no reading"],
)
async def test_the_primarys_lobby_is_the_lobby_whatever_the_check_read(check: StatsReader) -> None:
    primary = LobbyReader("Vexx_TTV")

    extraction = await CrossCheckedReader(primary, check, grace_s=GRACE_S).read_stats([], None)

    assert extraction.lobby == primary.lobby
