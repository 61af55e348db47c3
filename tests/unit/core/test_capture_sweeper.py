"""Durable capture: a process that dies between saving the upload and capturing for the squad
leaves the upload marked pending, and the sweeper captures for each mate once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from app.core.commands import DisownCapturedMatch, FinishPendingCaptures
from app.core.events import LobbyRead, MatchCaptured
from app.core.game.lobby import storable_rows
from app.core.handlers import BOT_HANDLERS, HandlerTables
from app.core.matches import MatchSource
from app.core.ports import GamertagLinkRepository
from app.core.squad.claims import CLAIM_STALE
from app.core.squad.sweeping import CAPTURE_GRACE, GIVE_UP_AFTER
from tests.support.factories import T0
from tests.unit.core.test_squad_capture import RAVEN, UPLOADER, VIPER, World, member
from tests.unit.wiring import fake_ai, fake_bus

# A process that saves the upload and dies before its LobbyRead subscriber runs.
DIES_AFTER_SAVING = HandlerTables(
    BOT_HANDLERS.commands,
    {kind: subs for kind, subs in BOT_HANDLERS.events.items() if kind is not LobbyRead},
)


def dying_process(world: World) -> None:
    world.bus = fake_bus(
        world.deps,
        fake_ai(world.ai),
        handlers=DIES_AFTER_SAVING,
        extra_dependencies={"capture_notifier": world.notices, "match_replies": world.replies},
    )


def restarted_process(world: World) -> None:
    world.bus = fake_bus(
        world.deps,
        fake_ai(world.ai),
        extra_dependencies={"capture_notifier": world.notices, "match_replies": world.replies},
    )


async def test_captures_cut_off_by_a_dying_process_are_finished_by_the_sweeper_once() -> None:
    world = World()
    await world.squad()
    dying_process(world)

    origin = await world.upload()

    assert world.of(VIPER) == world.of(RAVEN) == []
    stored = world.matches.rows[origin.id]
    assert stored.capture_pending
    assert {row["gamertag"] for row in stored.pending_lobby} >= {"Viper_21", "Raven"}

    restarted_process(world)
    world.clock.now = T0 + CAPTURE_GRACE + timedelta(seconds=1)
    assert await world.bus.handle(FinishPendingCaptures()) == 1
    assert await world.bus.handle(FinishPendingCaptures()) == 0  # nothing left to take

    [viper] = world.of(VIPER)
    [raven] = world.of(RAVEN)
    assert viper.source is MatchSource.CAPTURED is raven.source
    assert not world.matches.rows[origin.id].capture_pending
    assert world.matches.rows[origin.id].pending_lobby == []
    assert sorted(world.notices.sent) == sorted(
        [("dm", VIPER, viper.id), ("channel", RAVEN, raven.id)]
    )


async def test_the_sweeper_leaves_an_upload_alone_within_the_grace_period() -> None:
    world = World()
    await world.squad()
    dying_process(world)
    await world.upload()
    restarted_process(world)

    world.clock.now = T0 + CAPTURE_GRACE - timedelta(seconds=1)

    assert await world.bus.handle(FinishPendingCaptures()) == 0
    assert world.of(VIPER) == []


async def test_a_finished_capture_clears_the_marker_and_the_sweeper_redoes_nothing() -> None:
    world = World()
    await world.squad()

    origin = await world.upload()
    world.clock.now = T0 + CAPTURE_GRACE * 2

    assert not world.matches.rows[origin.id].capture_pending
    assert await world.bus.handle(FinishPendingCaptures()) == 0
    assert len(world.of(VIPER)) == 1 and len(world.notices.sent) == 2


async def test_an_upload_without_valid_rows_is_never_pending() -> None:
    world = World(lobby=())
    await world.squad()

    origin = await world.upload()

    assert not world.matches.rows[origin.id].capture_pending


class FlakyLinks:
    """The links repository failing `failures` times, then answering."""

    def __init__(self, links: GamertagLinkRepository, failures: int) -> None:
        self._links = links
        self.failures = failures

    def __getattr__(self, name: str) -> object:
        return getattr(self._links, name)

    async def owners_of(self, guild_id: int, keys: object) -> object:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database unreachable")
        return await self._links.owners_of(guild_id, keys)  # type: ignore[arg-type]


async def test_a_capture_the_database_failed_stays_pending_and_is_retried() -> None:
    world = World()
    await world.squad()
    flaky = FlakyLinks(world.deps.gamertag_links, failures=1)
    world.bus = fake_bus(
        world.deps,
        fake_ai(world.ai),
        extra_dependencies={
            "capture_notifier": world.notices,
            "match_replies": world.replies,
            "gamertag_links": flaky,
        },
    )

    origin = await world.upload()

    assert world.of(UPLOADER) == [origin]  # the uploader's match stands
    assert world.matches.rows[origin.id].capture_pending
    world.clock.now = T0 + CAPTURE_GRACE * 2
    await world.bus.handle(FinishPendingCaptures())
    assert len(world.of(VIPER)) == 1
    assert not world.matches.rows[origin.id].capture_pending


async def test_an_upload_whose_captures_keep_failing_is_let_go_after_a_day() -> None:
    world = World()
    await world.squad()
    flaky = FlakyLinks(world.deps.gamertag_links, failures=99)
    world.bus = fake_bus(
        world.deps,
        fake_ai(world.ai),
        extra_dependencies={
            "capture_notifier": world.notices,
            "match_replies": world.replies,
            "gamertag_links": flaky,
        },
    )
    origin = await world.upload()

    world.clock.now = T0 + CAPTURE_GRACE * 2
    await world.bus.handle(FinishPendingCaptures())
    assert world.matches.rows[origin.id].capture_pending
    world.clock.now = T0 + GIVE_UP_AFTER + timedelta(minutes=1)
    await world.bus.handle(FinishPendingCaptures())
    assert not world.matches.rows[origin.id].capture_pending


async def test_a_capture_in_flight_for_an_uploading_member_defers_and_is_finished_later() -> None:
    world = World()
    await world.squad()
    origin = await world.upload()
    [viper] = world.of(VIPER)
    # As if Viper's own upload of this match held its claim and had not saved yet.
    key = next(k for k in world.matches.claims if k.user_id == VIPER)
    world.matches.claims[key] = replace(world.matches.claims[key], holder=7777, captured=False)
    await world.bus.handle(DisownCapturedMatch(match_id=viper.id, actor=member(VIPER)))
    world.matches.rows[origin.id] = world.matches.rows[origin.id].model_copy(
        update={"capture_pending": True, "pending_lobby": origin.pending_lobby}
    )

    world.clock.now = T0 + CAPTURE_GRACE * 2
    await world.bus.handle(FinishPendingCaptures())
    assert world.of(VIPER) == []  # the other recording is still in flight: not now
    assert world.matches.rows[origin.id].capture_pending

    # It never saved (its process died): once stale, the sweeper takes over and captures.
    world.clock.now = T0 + CLAIM_STALE * 2
    await world.bus.handle(FinishPendingCaptures())
    assert len(world.of(VIPER)) == 1
    assert not world.matches.rows[origin.id].capture_pending


async def test_not_me_gives_the_claim_back_so_the_members_own_upload_is_saved() -> None:
    world = World()
    await world.squad()
    await world.upload()
    [viper] = world.of(VIPER)
    await world.bus.handle(DisownCapturedMatch(match_id=viper.id, actor=member(VIPER)))
    world.ai.raw_stats = {**world.ai.raw_stats, "player": {**world.ai.raw_stats["player"]}}
    world.ai.raw_stats["player"]["gamertag"] = "Viper_21"

    own = await world.upload(VIPER, 3003)

    assert [m.id for m in world.of(VIPER)] == [own.id] and own.source is MatchSource.AI


# A process that saves the mates' matches and dies before their notices are queued, and
# before it clears the upload's marker.
DIES_BEFORE_THE_NOTICES = HandlerTables(
    BOT_HANDLERS.commands,
    {kind: subs for kind, subs in BOT_HANDLERS.events.items() if kind is not MatchCaptured},
)


async def test_captures_saved_before_a_crash_get_their_notices_once_and_no_second_debrief() -> None:
    world = World()
    await world.squad()
    world.bus = fake_bus(
        world.deps,
        fake_ai(world.ai),
        handlers=DIES_BEFORE_THE_NOTICES,
        extra_dependencies={"capture_notifier": world.notices, "match_replies": world.replies},
    )
    origin = await world.upload()
    [viper] = world.of(VIPER)
    assert world.notices.sent == []
    # It died before clearing the marker: the upload is still pending, with its rows.
    world.matches.rows[origin.id] = world.matches.rows[origin.id].model_copy(
        update={
            "capture_pending": True,
            "pending_lobby": storable_rows(origin.stats, world.ai.lobby),
        }
    )
    viper_debrief = await world.deps.debriefs.get_for_match(viper.id)
    assert viper_debrief is not None

    restarted_process(world)
    world.clock.now = T0 + CAPTURE_GRACE + timedelta(seconds=1)
    assert await world.bus.handle(FinishPendingCaptures()) == 1

    assert world.of(VIPER) == [viper]  # recorded once
    assert sorted(world.notices.sent) == sorted(
        [("dm", VIPER, viper.id), ("channel", RAVEN, world.of(RAVEN)[0].id)]
    )
    # It had its debrief already: not written again (the clock has moved since).
    assert await world.deps.debriefs.get_for_match(viper.id) == viper_debrief
    assert not world.matches.rows[origin.id].capture_pending
