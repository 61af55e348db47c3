"""/debrief prepares its screenshots while the database answers: the bot-side hash, side by side.

The duplicate check, the cooldown and the gamertags no longer wait for the image workers: the
upload's hash is taken in the bot. What each failure leaves behind is in
test_debrief_handlers.py; here, what runs alongside what.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib

import pytest

from app.core.ai import ImagePreparer, PreparedImage
from app.core.bootstrap import Dependencies
from app.core.bus import MessageBus
from app.core.commands import AnalyzeScreenshots, Upload
from app.core.errors import CooldownActive, DuplicateMatch, UnreadableScreenshot
from app.core.guilds import GuildConfig
from app.core.screenshots import upload_hashes
from tests.support.factories import T0, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import FakeAI, FakeImages, fake_ai, fake_bus, fake_dependencies

PNG = b"\x89PNG\r\n\x1a\n" + b"scoreboard pixels"
WEAPONS = b"\x89PNG\r\n\x1a\n" + b"weapons pixels"
GUILD, USER = 1, 3


def analyze(interaction_id: int, *screenshots: bytes) -> AnalyzeScreenshots:
    return AnalyzeScreenshots(
        guild_id=GUILD,
        channel_id=2,
        user_id=USER,
        interaction_id=interaction_id,
        uploads=tuple(
            Upload(filename=f"{n}.png", declared_type="image/png", data=data)
            for n, data in enumerate(screenshots or (PNG,))
        ),
        size_limit=10 * 2**20,
        played_at=T0,
    )


class HeldImages(ImagePreparer):
    """Prepares nothing until released; counts how many it prepares at once."""

    def __init__(self, *, fails: bool = False) -> None:
        self.release = asyncio.Event()
        self.started = 0
        self.finished = 0
        self.fails = fails

    async def prepare(self, data: bytes, mime_type: str) -> PreparedImage:
        self.started += 1
        await self.release.wait()
        self.finished += 1
        if self.fails:
            raise UnreadableScreenshot
        return await FakeImages().prepare(data, mime_type)


def bus_preparing_with(images: ImagePreparer, deps: Dependencies, ai: FakeAI) -> MessageBus:
    return fake_bus(deps, dataclasses.replace(fake_ai(ai), images=images))


async def test_the_hash_is_of_the_upload_as_uploaded() -> None:
    big = PNG + bytes(3 * 2**20)  # hashed in a thread: the same digest

    assert await upload_hashes(analyze(1, PNG, big).uploads) == (
        hashlib.sha256(PNG).hexdigest(),
        hashlib.sha256(big).hexdigest(),
    )


async def test_a_reupload_is_refused_without_waiting_for_its_preparation() -> None:
    deps, ai = fake_dependencies(), FakeAI(raw_hardpoint())
    first = await fake_bus(deps, fake_ai(ai)).handle(analyze(10))
    held = HeldImages()  # never released: only the bot-side hash can tell

    with pytest.raises(DuplicateMatch, match=first.id):
        await bus_preparing_with(held, deps, ai).handle(analyze(11))

    assert held.finished == 0
    held.release.set()
    for _ in range(10):
        await asyncio.sleep(0)
    assert held.finished == 0, "the preparation nobody needs any more was stopped"
    assert ai.calls == ["read_stats", "write_debrief"], "the AI was not asked again"


async def test_the_screenshots_are_prepared_side_by_side_while_the_database_answers() -> None:
    deps, ai = fake_dependencies(), FakeAI(raw_hardpoint())
    held = HeldImages()
    handling = asyncio.ensure_future(
        bus_preparing_with(held, deps, ai).handle(analyze(10, PNG, WEAPONS))
    )
    for _ in range(100):
        await asyncio.sleep(0)

    assert held.started == 2, "both screenshots in preparation at once"
    assert ai.calls == [], "nothing read before the screenshots are ready"
    held.release.set()
    match = await handling
    assert match.screenshot_hashes == [
        hashlib.sha256(PNG).hexdigest(),
        hashlib.sha256(WEAPONS).hexdigest(),
    ]


async def test_an_unreadable_screenshot_gives_back_the_cooldown_taken_meanwhile() -> None:
    deps, ai = fake_dependencies(FrozenClock()), FakeAI(raw_hardpoint())
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, debrief_cooldown_s=30))
    held = HeldImages(fails=True)
    held.release.set()

    with pytest.raises(UnreadableScreenshot):
        await bus_preparing_with(held, deps, ai).handle(analyze(10))

    # At once, no "Slow down": the bad file cost nothing.
    bus = fake_bus(deps, fake_ai(ai))
    await bus.handle(analyze(11, PNG + b"readable"))
    with pytest.raises(CooldownActive):
        await bus.handle(analyze(12, PNG + b"another"))
