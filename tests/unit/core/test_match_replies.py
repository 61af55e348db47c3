"""The reply a /debrief or /log owes, through bootstrap() with fakes: on record first, sent
by the work's events, handed over when Discord fails, replayed the same way after a crash."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from app.core.commands import AbandonMatchReply, OweMatchReply, RecordMatch, ReplayMatchReply
from app.core.errors import DuplicateMatch
from app.core.game.errors import InvalidMatchStats
from app.core.matches import MatchSource
from app.core.outbox import OutboxStatus
from app.core.replies import (
    HANDED_OVER,
    NOTHING_SAVED,
    TOKEN_LIFETIME,
    MatchReplyRequest,
    NobodyToTell,
    OwedReply,
)
from tests.support.factories import T0, match_fields, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import FAKE_REPLY_LEASE, FakeAI, FakeMatchReplies, fake_ai, fake_bus
from tests.unit.wiring import fake_dependencies as deps_with

INTERACTION = 1001
HEADLINE = "Solid game"  # what FakeAI writes


class World:
    def __init__(self, sender: FakeMatchReplies | None = None) -> None:
        self.clock = FrozenClock()
        self.deps = deps_with(self.clock)
        self.ai = FakeAI()
        self.sender = sender or FakeMatchReplies()
        self.bus = fake_bus(
            self.deps, fake_ai(self.ai), extra_dependencies={"match_replies": self.sender}
        )

    async def owe(self) -> OwedReply:
        owed: OwedReply = await self.bus.handle(OweMatchReply(request=request()))
        return owed

    async def status(self, owed: OwedReply) -> OutboxStatus:
        message = await self.deps.outbox.get(owed.message_id)
        assert message is not None
        return message.status


def request() -> MatchReplyRequest:
    return MatchReplyRequest(
        interaction_id=INTERACTION,
        application_id=9,
        interaction_token="token",
        token_expires_at=T0 + TOKEN_LIFETIME,
        guild_id=1,
        channel_id=2,
        user_id=3,
        match_interaction_id=INTERACTION,
    )


def record(owed: OwedReply | None, **changes: object) -> RecordMatch:
    cmd = RecordMatch(
        guild_id=1,
        channel_id=2,
        user_id=3,
        interaction_id=INTERACTION,
        raw_stats=raw_hardpoint(),
        source=MatchSource.MANUAL,
        played_at=T0,
        reply=owed,
    )
    return replace(cmd, **changes)  # type: ignore[arg-type]


async def test_the_reply_is_on_record_leased_before_any_work() -> None:
    world = World()
    owed = await world.owe()

    message = await world.deps.outbox.get(owed.message_id)
    assert message is not None and message.status is OutboxStatus.PENDING
    assert message.available_at == T0 + FAKE_REPLY_LEASE, "kept from the consumer meanwhile"
    assert await world.owe() == owed, "one interaction owes one reply"
    assert world.sender.sent == []


async def test_the_live_reply_goes_out_with_the_debrief_just_written_and_is_delivered() -> None:
    world = World()
    owed = await world.owe()

    match = await world.bus.handle(record(owed))

    assert world.sender.sent == [("follow_up", INTERACTION, match.id, HEADLINE)]
    assert await world.status(owed) is OutboxStatus.DELIVERED


async def test_a_reply_discord_fails_is_handed_to_the_outbox_at_once() -> None:
    world = World(FakeMatchReplies(down=True))
    owed = await world.owe()

    match = await world.bus.handle(record(owed))

    assert await world.deps.matches.get(match.id) == match, "saved before sent, and kept"
    message = await world.deps.outbox.get(owed.message_id)
    assert message is not None and message.status is OutboxStatus.PENDING
    assert message.available_at == T0 and message.last_error == HANDED_OVER


async def test_work_that_fails_before_saving_closes_the_reply() -> None:
    world = World()
    owed = await world.owe()

    with pytest.raises(InvalidMatchStats):
        await world.bus.handle(record(owed, raw_stats=raw_hardpoint(kills=-1)))
    await world.bus.handle(AbandonMatchReply(reply=owed))

    message = await world.deps.outbox.get(owed.message_id)
    assert message is not None and message.status is OutboxStatus.FAILED
    assert message.last_error == NOTHING_SAVED
    assert world.sender.sent == []


async def test_a_replayed_interaction_never_makes_a_second_match() -> None:
    world = World()
    owed = await world.owe()
    first = await world.bus.handle(record(owed))

    with pytest.raises(DuplicateMatch) as again:
        await world.bus.handle(record(owed))

    assert again.value.existing_match_id == first.id
    assert list(world.deps.matches.rows) == [first.id]
    assert len(world.sender.sent) == 1, "replied once"


async def test_a_replay_writes_the_missing_debrief_then_replies_as_the_live_process() -> None:
    world = World()
    owed = await world.owe()
    # The process died after saving the match, before its debrief.
    match = await world.deps.matches.add(match_fields(interaction_id=INTERACTION, user_id=3))

    await world.bus.handle(ReplayMatchReply(reply=owed))

    assert world.ai.calls == ["write_debrief"]
    assert await world.deps.debriefs.get_for_match(match.id) is not None
    assert world.sender.sent == [("follow_up", INTERACTION, match.id, HEADLINE)]


async def test_a_replay_whose_token_is_refused_posts_in_the_channel() -> None:
    world = World(FakeMatchReplies(refuse_token=True))
    owed = await world.owe()
    match = await world.bus.handle(record(None))

    await world.bus.handle(ReplayMatchReply(reply=owed))

    assert world.sender.sent == [("channel", INTERACTION, match.id, HEADLINE)]


async def test_a_replay_near_the_token_end_posts_in_the_channel_without_trying_it() -> None:
    world = World()
    owed = await world.owe()
    match = await world.bus.handle(record(None))
    world.clock.now = T0 + TOKEN_LIFETIME - timedelta(seconds=10)

    await world.bus.handle(ReplayMatchReply(reply=owed))

    assert world.sender.sent == [("channel", INTERACTION, match.id, HEADLINE)]


async def test_a_replay_with_nothing_saved_tells_the_player_while_it_can() -> None:
    world = World()
    owed = await world.owe()

    await world.bus.handle(ReplayMatchReply(reply=owed))
    assert world.sender.sent == [("not_saved", INTERACTION, None, None)]

    world.clock.now = T0 + TOKEN_LIFETIME
    with pytest.raises(NobodyToTell):
        await world.bus.handle(ReplayMatchReply(reply=owed))
    assert len(world.sender.sent) == 1
