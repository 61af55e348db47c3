"""A burst of /debrief waits in line, through bootstrap() with fakes: at most `capacity` in
progress, the others told how many wait ahead, their AI calls started only with their turn,
a place given back however a debrief ends, and a waiter that gives up leaving the line."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest

from app.core.admission import Admission, WaitedTooLong, in_turn
from app.core.ai import Extraction, PreparedImage
from app.core.bus import MessageBus
from app.core.commands import AnalyzeScreenshots, OweMatchReply, Upload
from app.core.errors import AIUnavailable
from app.core.matches import Match
from app.core.replies import TOKEN_LIFETIME, MatchReplyRequest, OwedReply
from tests.support.factories import T0, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import (
    FAKE_REPLY_LEASE,
    FakeAI,
    FakeMatchReplies,
    fake_ai,
    fake_bus,
    fake_dependencies,
)

GUILD = 1
# Long enough never to pass in a test unless the test says so.
NO_REFRESH_S = 3600.0


class GatedAI(FakeAI):
    """Reads a screenshot only when the test opens that user's gate; records who started."""

    def __init__(self) -> None:
        super().__init__(raw_hardpoint())
        self.started: list[int] = []
        self.gates: dict[int, asyncio.Event] = {}
        self.failing: set[int] = set()

    def gate(self, user: int) -> asyncio.Event:
        return self.gates.setdefault(user, asyncio.Event())

    async def read_stats(self, images: Sequence[PreparedImage], note: str | None) -> Extraction:
        user = int(note or 0)  # each test debrief notes its user
        self.started.append(user)
        await self.gate(user).wait()
        if user in self.failing:
            raise AIUnavailable
        return await super().read_stats(images, note)


class Notices:
    """What each waiter was told, in order: ("queued", ahead) or ("started",)."""

    def __init__(self, *, failing: bool = False) -> None:
        self.told: list[tuple[Any, ...]] = []
        self.failing = failing

    async def queued(self, ahead: int) -> None:
        self.told.append(("queued", ahead))
        if self.failing:
            raise ConnectionError("Discord is down")

    async def started(self) -> None:
        self.told.append(("started",))
        if self.failing:
            raise ConnectionError("Discord is down")


class Burst:
    """One bot process: its bus (bootstrap() with fakes), its admission, its users."""

    def __init__(self, capacity: int, **admission: Any) -> None:
        self.clock = FrozenClock()
        self.deps = fake_dependencies(self.clock)
        self.ai = GatedAI()
        self.sender = FakeMatchReplies()
        self.bus: MessageBus = fake_bus(
            self.deps, fake_ai(self.ai), extra_dependencies={"match_replies": self.sender}
        )
        self.admission = Admission(capacity, **{"refresh_every_s": NO_REFRESH_S, **admission})
        self.notices: dict[int, Notices] = {}
        self.owed: dict[int, OwedReply] = {}

    def debrief(
        self, user: int, *, notices: Notices | None = None, before: Awaitable[None] | None = None
    ) -> asyncio.Task[Match]:
        """/debrief by `user`, as the cog runs it: reply on record, then in turn."""
        told = self.notices[user] = notices or Notices()

        async def run() -> Match:
            owed = self.owed[user] = await self.bus.handle(OweMatchReply(request=request(user)))

            async def work() -> Match:
                if before is not None:
                    await before
                match: Match = await self.bus.handle(analyze(user, owed))
                return match

            return await in_turn(self.admission, self.bus, owed, told, work)

        return asyncio.create_task(run())

    async def lease_end(self, user: int) -> Any:
        message = await self.deps.outbox.get(self.owed[user].message_id)
        assert message is not None
        return message.available_at


def request(user: int) -> MatchReplyRequest:
    return MatchReplyRequest(
        interaction_id=user,
        application_id=9,
        interaction_token=f"token-{user}",
        token_expires_at=T0 + TOKEN_LIFETIME,
        guild_id=GUILD,
        channel_id=2,
        user_id=user,
        match_interaction_id=user,
    )


def analyze(user: int, owed: OwedReply) -> AnalyzeScreenshots:
    png = b"\x89PNG\r\n\x1a\n" + f"scoreboard of {user}".encode()
    return AnalyzeScreenshots(
        guild_id=GUILD,
        channel_id=2,
        user_id=user,
        interaction_id=user,
        uploads=(Upload(filename="board.png", declared_type="image/png", data=png),),
        size_limit=10 * 2**20,
        played_at=T0,
        note=str(user),
        reply=owed,
    )


async def until(check: Callable[[], bool], what: str) -> None:
    """Let the other tasks run until `check()` holds (no clock involved)."""
    for _ in range(1000):
        if check():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"never happened: {what}")


async def test_debriefs_beyond_the_capacity_wait_in_line_told_how_many_wait_ahead() -> None:
    burst = Burst(capacity=2)
    tasks = {user: burst.debrief(user) for user in (1, 2, 3, 4, 5)}
    await until(lambda: burst.admission.waiting == 3, "three in line")
    await until(lambda: len(burst.ai.started) == 2, "the first two reading")

    assert burst.ai.started == [1, 2], "two in progress, nobody else reading"
    assert {user: burst.notices[user].told for user in (1, 2, 3, 4, 5)} == {
        1: [],
        2: [],
        3: [("queued", 0)],
        4: [("queued", 1)],
        5: [("queued", 2)],
    }

    burst.ai.gate(1).set()
    await until(lambda: burst.ai.started == [1, 2, 3], "the first in line starts")
    assert burst.notices[3].told == [("queued", 0), ("started",)]
    assert burst.ai.started == [1, 2, 3], "one place freed, one debrief admitted"

    for user in (2, 3, 4, 5):
        burst.ai.gate(user).set()
    matches = await asyncio.gather(*tasks.values())

    assert [match.user_id for match in matches] == [1, 2, 3, 4, 5]
    assert burst.ai.started == [1, 2, 3, 4, 5], "first come, first served"
    assert sorted(sent[1] for sent in burst.sender.sent) == [1, 2, 3, 4, 5], "each answered"
    assert (burst.admission.in_progress, burst.admission.waiting) == (0, 0)


async def test_the_ai_is_called_and_its_timeout_runs_only_from_the_turn() -> None:
    burst = Burst(capacity=1)
    downloaded = asyncio.Event()
    first = burst.debrief(1, before=downloaded.wait())
    waiting = burst.debrief(2)
    await until(lambda: burst.admission.waiting == 1, "the second in line")
    # The reading of a real client times out per request: let it time out here too.
    timeout_s = 0.05
    burst.ai.gate(1).set()
    burst.ai.gate(2).set()
    reading = burst.ai.read_stats

    async def read_within_the_timeout(images: Sequence[PreparedImage], note: str | None) -> Any:
        async with asyncio.timeout(timeout_s):
            return await reading(images, note)

    burst.ai.read_stats = read_within_the_timeout  # type: ignore[method-assign]

    await asyncio.sleep(timeout_s * 3)  # the second waits in line far longer than that
    assert burst.ai.started == [], "nobody reads while the first is still downloading"
    downloaded.set()
    matches = await asyncio.gather(first, waiting)

    assert [match.user_id for match in matches] == [1, 2], "the wait cost no timeout"
    assert burst.ai.started == [1, 2]


async def test_a_failed_debrief_gives_its_place_to_the_next_in_line() -> None:
    burst = Burst(capacity=1)
    burst.ai.failing.add(1)
    failing, waiting = burst.debrief(1), burst.debrief(2)
    await until(lambda: burst.admission.waiting == 1, "the second in line")

    burst.ai.gate(1).set()
    burst.ai.gate(2).set()

    with pytest.raises(AIUnavailable):
        await failing
    assert (await waiting).user_id == 2
    assert (burst.admission.in_progress, burst.admission.waiting) == (0, 0)


async def test_a_waiter_that_gives_up_leaves_the_line_and_never_reads() -> None:
    burst = Burst(capacity=1, refresh_every_s=0.001)
    first, leaving, last = burst.debrief(1), burst.debrief(2), burst.debrief(3)
    await until(lambda: burst.admission.waiting == 2, "two in line")
    assert burst.notices[3].told == [("queued", 1)]

    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert burst.admission.waiting == 1
    await until(lambda: burst.notices[3].told[-1] == ("queued", 0), "the line moved up")

    burst.ai.gate(1).set()
    burst.ai.gate(3).set()
    await asyncio.gather(first, last)

    assert burst.ai.started == [1, 3]
    assert (burst.admission.in_progress, burst.admission.waiting) == (0, 0)


async def test_a_debrief_cancelled_while_in_progress_gives_its_place_back() -> None:
    burst = Burst(capacity=1)
    cancelled, waiting = burst.debrief(1), burst.debrief(2)
    await until(lambda: burst.ai.started == [1], "the first reads")

    cancelled.cancel()
    burst.ai.gate(2).set()

    assert (await waiting).user_id == 2
    assert cancelled.cancelled()
    assert (burst.admission.in_progress, burst.admission.waiting) == (0, 0)


async def test_a_waiter_cancelled_as_its_turn_comes_passes_the_place_on() -> None:
    admission = Admission(1, refresh_every_s=NO_REFRESH_S)
    admitted: list[str] = []

    async def wait_for_a_place(name: str) -> None:
        async with admission.place():
            admitted.append(name)

    async with admission.place():
        unlucky = asyncio.create_task(wait_for_a_place("unlucky"))
        next_one = asyncio.create_task(wait_for_a_place("next"))
        await until(lambda: admission.waiting == 2, "two in line")
    # The place went to the first in line on leaving the block; it is cancelled before it
    # could run, so it must hand the place on rather than keep it.
    unlucky.cancel()
    await asyncio.gather(unlucky, next_one, return_exceptions=True)

    assert admitted == ["next"]
    assert (admission.in_progress, admission.waiting) == (0, 0)


async def test_a_reply_that_waited_is_leased_again_when_its_work_starts() -> None:
    burst = Burst(capacity=1)
    downloaded = asyncio.Event()
    first = burst.debrief(1, before=downloaded.wait())
    waiting = burst.debrief(2)
    await until(lambda: burst.admission.waiting == 1, "the second in line")
    leased_until = await burst.lease_end(2)

    burst.clock.now += timedelta(minutes=3)  # the line was long
    lease_of_the_first = await burst.lease_end(1)
    burst.ai.gate(1).set()
    downloaded.set()
    await first
    await until(lambda: burst.ai.started == [1, 2], "the second starts")

    assert await burst.lease_end(2) == burst.clock.now + FAKE_REPLY_LEASE > leased_until
    assert lease_of_the_first == T0 + FAKE_REPLY_LEASE, "never waited: leased once"
    burst.ai.gate(2).set()
    await waiting


async def test_nobody_waits_past_the_longest_wait() -> None:
    burst = Burst(capacity=1, max_wait_s=0.01)
    first, too_late = burst.debrief(1), burst.debrief(2)

    with pytest.raises(WaitedTooLong):
        await too_late
    burst.ai.gate(1).set()
    await first

    assert burst.ai.started == [1], "the one that gave up never reached the AI"
    assert (burst.admission.in_progress, burst.admission.waiting) == (0, 0)


async def test_a_notice_that_cannot_be_sent_costs_the_waiter_nothing() -> None:
    burst = Burst(capacity=1)
    first = burst.debrief(1)
    unlucky = burst.debrief(2, notices=Notices(failing=True))
    await until(lambda: burst.admission.waiting == 1, "the second in line")

    burst.ai.gate(1).set()
    burst.ai.gate(2).set()
    await first

    assert (await unlucky).user_id == 2
    assert burst.notices[2].told == [("queued", 0), ("started",)]


def test_at_least_one_place() -> None:
    with pytest.raises(ValueError, match="capacity"):
        Admission(0)
