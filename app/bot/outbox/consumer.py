"""The outbox consumer: new messages wake it, a lease hands each one to a single consumer.

Two loops run side by side. One follows the change stream of inserts and only wakes the
other; the other claims due messages (`claim_due`, with a lease) and delivers them, when woken
and every `poll_every` anyway: retries and expired leases fall due without any insert, and on a
database that cannot stream changes, polling is all there is. Any number of consumers (bot
shards, processes) can run: the claim, not the stream, decides who delivers a message.

The stream position is saved only after a delivery round that started after the position was
seen, so it never runs ahead of the work: a restart resumes the stream there and loses no
wake-up, even for messages inserted while the consumer was down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import assert_never

from app.bot.outbox.outcomes import Deliver, Delivered, Failed, Outcome, RetryLater
from app.core.clock import Clock, utc_now
from app.core.outbox import (
    OutboxMessage,
    StreamPosition,
    StreamPositionLost,
    StreamUnsupported,
    retry_delay,
)
from app.core.ports import OutboxRepository

logger = logging.getLogger(__name__)

# Which servers' commands this process takes; None: every server's.
ServedGuilds = Callable[[], Collection[int] | None]


@dataclass(frozen=True, kw_only=True)
class ConsumerTimings:
    # How long a consumer may wait without being woken before it looks for due messages.
    poll_every: timedelta = timedelta(seconds=5)
    # Longer than a delivery takes, Gemini's retries included, so a message is not handed out
    # twice meanwhile; if the consumer dies, the message is due again when the lease runs out.
    lease: timedelta = timedelta(minutes=5)
    # Backoff between attempts at a message after a passing failure.
    first_retry: timedelta = timedelta(seconds=5)
    max_retry: timedelta = timedelta(minutes=5)
    # Backoff when a loop itself fails (the database is down, the stream broke).
    first_pause: timedelta = timedelta(seconds=1)
    max_pause: timedelta = timedelta(minutes=1)

    def retry_after(self, attempts: int) -> timedelta:
        return retry_delay(attempts, first=self.first_retry, cap=self.max_retry)

    def pause_after(self, failures: int) -> timedelta:
        return retry_delay(failures, first=self.first_pause, cap=self.max_pause)


def every_guild() -> None:
    return None


class OutboxConsumer:
    def __init__(
        self,
        outbox: OutboxRepository,
        deliver: Deliver,
        *,
        name: str,
        kinds: Collection[str],
        wake_for: Collection[str] | None = None,
        clock: Clock = utc_now,
        timings: ConsumerTimings | None = None,
        served_guilds: ServedGuilds = every_guild,
    ) -> None:
        """`name` identifies the consumer's saved stream position: one per kind of process.

        Inserts of the `wake_for` kinds (by default, every kind claimed) start a round at once;
        a kind inserted with a lease, not yet due, is better left to the poll.
        """
        self._outbox = outbox
        self._deliver = deliver
        self._name = name
        self._kinds = frozenset(kinds)
        self._wake_kinds = self._kinds if wake_for is None else frozenset(wake_for)
        self._clock = clock
        self._timings = timings or ConsumerTimings()
        self._served_guilds = served_guilds
        self._wake = asyncio.Event()
        self._position_loaded = False
        # The newest position the stream reported, and the one saved in the database.
        self._seen: StreamPosition | None = None
        self._saved: StreamPosition | None = None
        self._stream_failures = 0

    async def run(self) -> None:
        """Deliver until cancelled."""
        async with asyncio.TaskGroup() as group:
            group.create_task(self._follow_stream(), name=f"{self._name}: outbox stream")
            group.create_task(self._deliver_forever(), name=f"{self._name}: outbox delivery")

    # -- waking up on inserts -----------------------------------------------------------------

    async def _follow_stream(self) -> None:
        while True:
            try:
                await self._stream_until_it_ends()
                # The server closed it (the collection was dropped or renamed): resuming
                # after the last insert would replay that, so start again from "now".
                logger.warning("%s: the outbox change stream ended; reopening it", self._name)
                self._seen = None
            except StreamUnsupported:
                logger.info(
                    "%s: the database cannot stream changes; polling the outbox every %.0f s",
                    self._name,
                    self._timings.poll_every.total_seconds(),
                )
                return
            except StreamPositionLost:
                logger.warning(
                    "%s: the saved stream position can no longer be resumed; "
                    "following new outbox messages from now on",
                    self._name,
                )
                self._seen = None
            except Exception:
                logger.warning(
                    "%s: the outbox change stream failed; polling until it reopens",
                    self._name,
                    exc_info=True,
                )
            # Whatever went wrong, the delivery loop keeps polling meanwhile: nothing waits
            # for the stream, it only makes delivery quicker.
            self._stream_failures += 1
            await asyncio.sleep(self._timings.pause_after(self._stream_failures).total_seconds())

    async def _stream_until_it_ends(self) -> None:
        if not self._position_loaded:
            self._seen = self._saved = await self._outbox.stream_position(self._name)
            self._position_loaded = True
        async with self._outbox.watch_inserts(self._wake_kinds, after=self._seen) as inserts:
            self._stream_failures = 0
            # Whatever was inserted before the stream opened is found by a round right now.
            self._wake.set()
            async for insert in inserts:
                self._seen = insert.position
                self._wake.set()

    # -- delivering ----------------------------------------------------------------------------

    async def _deliver_forever(self) -> None:
        failures = 0
        while True:
            try:
                await self._round()
            except Exception:
                failures += 1
                pause = self._timings.pause_after(failures)
                logger.exception(
                    "%s: delivering from the outbox failed; trying again in %.0f s",
                    self._name,
                    pause.total_seconds(),
                )
                await asyncio.sleep(pause.total_seconds())
                continue
            failures = 0
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._timings.poll_every.total_seconds()):
                    await self._wake.wait()

    async def _round(self) -> None:
        """Expire what is overdue, deliver everything due, then save the stream position."""
        # Cleared before claiming, so an insert seen during the round wakes the next one.
        seen = self._seen
        self._wake.clear()
        expired = await self._outbox.expire_overdue(self._clock())
        if expired:
            logger.info("%s: %d outbox message(s) expired undelivered", self._name, expired)
        while (message := await self._claim()) is not None:
            await self._handle(message)
        if seen is not None and seen != self._saved:
            await self._outbox.save_stream_position(self._name, seen, self._clock())
            self._saved = seen

    async def _claim(self) -> OutboxMessage | None:
        return await self._outbox.claim_due(
            self._clock(), self._timings.lease, self._kinds, guild_ids=self._served_guilds()
        )

    async def _handle(self, message: OutboxMessage) -> None:
        if message.expires_at <= self._clock():
            # Claimed as its deadline passed: too late to act on it; mark it expired instead.
            await self._outbox.expire_overdue(self._clock())
            return
        await self._settle(message, await self._deliver(message))

    async def _settle(self, message: OutboxMessage, outcome: Outcome) -> None:
        match outcome:
            case Delivered():
                await self._outbox.mark_delivered(message.id, self._clock())
                logger.info("%s: delivered %s %s", self._name, message.kind, message.id)
            case Failed(reason=reason):
                await self._outbox.mark_failed(message.id, reason)
                logger.warning(
                    "%s: gave up on %s %s: %s", self._name, message.kind, message.id, reason
                )
            case RetryLater(reason=reason):
                delay = self._timings.retry_after(message.attempts)
                await self._outbox.retry_later(message.id, self._clock() + delay, reason)
                logger.warning(
                    "%s: %s %s failed (attempt %d), retrying in %.0f s: %s",
                    self._name,
                    message.kind,
                    message.id,
                    message.attempts,
                    delay.total_seconds(),
                    reason,
                )
            case _:
                assert_never(outcome)
