"""Whole-squad capture on the real database: the captured match is unique per upload and
member, its rollups are right, and "Not me" takes them back."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from app.core.actors import Actor
from app.core.bootstrap import Dependencies, bootstrap
from app.core.bus import MessageBus
from app.core.commands import (
    AnalyzeScreenshots,
    DisownCapturedMatch,
    FinishPendingCaptures,
    LinkGamertag,
    Upload,
)
from app.core.errors import DuplicateMatch
from app.core.events import LobbyRead, MatchCaptured, MatchDeleted, MatchSaved
from app.core.handlers import BOT_HANDLERS
from app.core.matches import Match, MatchFields
from app.core.squad.matching import capture_interaction_id
from app.core.squad.sweeping import CAPTURE_GRACE
from app.shared.db.connection import Database
from app.shared.db.repositories.analytics import BeanieAnalyticsRepository
from app.shared.db.rollups.rebuild import rebuild
from tests.support.factories import T0, raw_hardpoint
from tests.unit.wiring import FakeAI, FakeCaptureNotices, fake_ai, packaged_catalog

GUILD, CHANNEL = 50, 7
UPLOADER, VIPER = 1, 2
LOBBY = (
    {
        "gamertag": "Viper_21",
        "team": "enemy",
        "score": 4200,
        "kills": 20,
        "deaths": 18,
        "assists": 6,
        "objective_time_s": 60,
        "captures": 3,
    },
)


def squad_bus(dependencies: Dependencies, notices: FakeCaptureNotices) -> MessageBus:
    return bootstrap(
        dependencies,
        fake_ai(FakeAI(raw_hardpoint(), lobby=LOBBY)),
        handlers=BOT_HANDLERS.only(
            commands=(AnalyzeScreenshots, LinkGamertag, DisownCapturedMatch),
            events=(MatchSaved, LobbyRead, MatchCaptured, MatchDeleted),
        ),
        extra_dependencies={"capture_notifier": notices},
    )


@pytest.fixture
def dependencies(database: Database) -> Dependencies:
    return database.dependencies(packaged_catalog())


async def upload_with_viper_on_it(bus: MessageBus) -> Match:
    await bus.handle(
        LinkGamertag(
            guild_id=GUILD,
            actor=Actor(VIPER, member_of=frozenset({GUILD})),
            gamertag="Viper_21",
            auto_record=True,
        )
    )
    origin: Match = await bus.handle(
        AnalyzeScreenshots(
            guild_id=GUILD,
            channel_id=CHANNEL,
            user_id=UPLOADER,
            interaction_id=1001,
            uploads=(
                Upload(filename="b.png", declared_type="image/png", data=b"\x89PNG\r\n\x1a\nb"),
            ),
            size_limit=2**20,
            played_at=T0,
        )
    )
    return origin


async def test_a_capture_is_saved_once_per_upload_and_member(dependencies: Dependencies) -> None:
    notices = FakeCaptureNotices()
    bus = squad_bus(dependencies, notices)
    origin = await upload_with_viper_on_it(bus)

    [captured] = await dependencies.matches.captured_from(origin.id)
    assert captured.user_id == VIPER
    assert captured.interaction_id == capture_interaction_id(origin.id, VIPER)
    assert (captured.stats.team_score, captured.stats.enemy_score) == (201, 250)
    assert notices.sent == [("dm", VIPER, captured.id)]
    # The (upload, member) index refuses a second capture even under another interaction id.
    twin = captured.model_dump(exclude={"id"}) | {"interaction_id": 42}
    with pytest.raises(DuplicateMatch):
        await dependencies.matches.add(MatchFields.model_validate(twin))
    await bus.publish(LobbyRead(match=origin, lobby=LOBBY))
    assert [m.id for m in await dependencies.matches.captured_from(origin.id)] == [captured.id]


async def test_not_me_takes_the_match_out_of_the_rollups(dependencies: Dependencies) -> None:
    bus = squad_bus(dependencies, FakeCaptureNotices())
    origin = await upload_with_viper_on_it(bus)
    [captured] = await dependencies.matches.captured_from(origin.id)
    analytics = BeanieAnalyticsRepository()
    before = await analytics.summary(VIPER, guild_id=GUILD, mode=None, since=None)
    assert (before.matches, before.losses) == (1, 1)

    await bus.handle(
        DisownCapturedMatch(match_id=captured.id, actor=Actor(VIPER, member_of=frozenset({GUILD})))
    )

    after = await analytics.summary(VIPER, guild_id=GUILD, mode=None, since=None)
    assert after.matches == 0
    uploader = await analytics.summary(UPLOADER, guild_id=GUILD, mode=None, since=None)
    assert uploader.matches == 1
    # What the rollups hold is what a rebuild from the matches left computes.
    await rebuild()
    assert (await analytics.summary(VIPER, guild_id=GUILD, mode=None, since=None)).matches == 0


async def test_the_sweeper_finishes_captures_a_dying_process_left_and_only_once(
    dependencies: Dependencies,
) -> None:
    notices = FakeCaptureNotices()
    dying = bootstrap(
        dependencies,
        fake_ai(FakeAI(raw_hardpoint(), lobby=LOBBY)),
        # No LobbyRead subscriber: the process is gone once the upload is saved.
        handlers=BOT_HANDLERS.only(
            commands=(AnalyzeScreenshots, LinkGamertag), events=(MatchSaved,)
        ),
        extra_dependencies={"capture_notifier": notices},
    )
    origin = await upload_with_viper_on_it(dying)
    assert (await dependencies.matches.get(origin.id)).capture_pending  # type: ignore[union-attr]

    later = replace(dependencies, clock=lambda: origin.created_at + CAPTURE_GRACE * 2)
    restarted = bootstrap(
        later,
        fake_ai(),
        handlers=BOT_HANDLERS.only(
            commands=(FinishPendingCaptures,), events=(MatchSaved, MatchCaptured)
        ),
        extra_dependencies={"capture_notifier": notices},
    )
    # Two sweepers at once (two bot processes): one capture, one notice.
    await asyncio.gather(*(restarted.handle(FinishPendingCaptures()) for _ in range(2)))
    await restarted.handle(FinishPendingCaptures())

    [captured] = await dependencies.matches.captured_from(origin.id)
    assert captured.user_id == VIPER
    assert notices.sent == [("dm", VIPER, captured.id)]
    assert await dependencies.matches.pending_captures(later.clock(), limit=5) == []
