"""The bot's outbox consumer against MongoDB: change stream, saved position, polling, leases.

Deliveries are scripted here (a recorder that answers with given outcomes); what the bus makes
of real commands is in test_outbox_consumer_delivery.py.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest

from app.bot.outbox import ConsumerTimings, Delivered, Failed, OutboxConsumer, Outcome, RetryLater
from app.bot.outbox.consumer import ServedGuilds, every_guild
from app.core.clock import utc_now
from app.core.outbox import (
    POST_DIGEST_KIND,
    OutboxInsert,
    OutboxMessage,
    OutboxStatus,
    StreamPosition,
)
from app.shared.db.connection import Database
from app.shared.db.repositories.outbox import BeanieOutboxRepository
from tests.support.factories import outbox_fields

KINDS = frozenset({POST_DIGEST_KIND})
# Polling so rarely that a test passing within seconds proves the change stream woke it.
NEVER_POLL = ConsumerTimings(poll_every=timedelta(minutes=10))
FAST = ConsumerTimings(
    poll_every=timedelta(seconds=0.1),
    first_retry=timedelta(seconds=0.3),
    max_retry=timedelta(seconds=0.5),
    first_pause=timedelta(seconds=0.05),
    max_pause=timedelta(seconds=0.2),
)
# Generous: the wait ends as soon as the condition holds, and a busy machine is slow.
WAIT_S = 30.0
_guilds = itertools.count(900_000)


class WatchedOutbox(BeanieOutboxRepository):
    """The real repository, noting when the stream opens, from where, and what it reports."""

    def __init__(self) -> None:
        self.opened_after: list[StreamPosition | None] = []
        self.reported: list[str] = []
        self.watching = asyncio.Event()
        # Set once the consumer found nothing due after the stream opened: from then on, only
        # a wake-up (or a poll) makes it look again.
        self.idle = asyncio.Event()

    async def claim_due(
        self,
        now: datetime,
        lease: timedelta,
        kinds: Collection[str],
        *,
        guild_ids: Collection[int] | None = None,
    ) -> OutboxMessage | None:
        after_opening = self.watching.is_set()
        claimed = await super().claim_due(now, lease, kinds, guild_ids=guild_ids)
        if claimed is None and after_opening:
            self.idle.set()
        return claimed

    @asynccontextmanager
    async def watch_inserts(
        self, kinds: Collection[str], *, after: StreamPosition | None
    ) -> AsyncIterator[AsyncIterator[OutboxInsert]]:
        self.opened_after.append(after)
        async with super().watch_inserts(kinds, after=after) as inserts:
            self.watching.set()
            yield self._noting(inserts)

    async def _noting(self, inserts: AsyncIterator[OutboxInsert]) -> AsyncIterator[OutboxInsert]:
        async for insert in inserts:
            self.reported.append(insert.message_id)
            yield insert


class ScriptedDelivery:
    """Answers each attempt with the next scripted outcome, then Delivered; records attempts."""

    def __init__(self, *outcomes: Outcome, takes_s: float = 0.0) -> None:
        self._outcomes = iter(outcomes)
        self._takes_s = takes_s
        self.attempts: list[tuple[str, float]] = []

    async def __call__(self, message: OutboxMessage) -> Outcome:
        self.attempts.append((message.id, asyncio.get_running_loop().time()))
        await asyncio.sleep(self._takes_s)
        return next(self._outcomes, Delivered())

    @property
    def message_ids(self) -> list[str]:
        return [message_id for message_id, _ in self.attempts]


def consumer(
    outbox: BeanieOutboxRepository,
    deliver: ScriptedDelivery,
    timings: ConsumerTimings = FAST,
    *,
    name: str = "bot",
    served_guilds: ServedGuilds = every_guild,
) -> OutboxConsumer:
    return OutboxConsumer(
        outbox, deliver, name=name, kinds=KINDS, timings=timings, served_guilds=served_guilds
    )


@asynccontextmanager
async def running(*consumers: OutboxConsumer) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(each.run()) for each in consumers]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
    for task in tasks:
        assert task.cancelled(), f"the consumer stopped by itself: {task.exception()!r}"


async def command(
    outbox: BeanieOutboxRepository, *, guild_id: int | None = None, **fields: Any
) -> OutboxMessage:
    """A "post the digest now" command, due now, as the API enqueues it."""
    now = utc_now()
    defaults: dict[str, Any] = {
        "kind": POST_DIGEST_KIND,
        "payload": {"guild_id": guild_id or next(_guilds), "requested_by": 42},
        "available_at": now,
        "expires_at": now + timedelta(minutes=15),
        "created_at": now,
    }
    return await outbox.enqueue(outbox_fields(**{**defaults, **fields}))


async def status_becomes(
    outbox: BeanieOutboxRepository, message: OutboxMessage, status: OutboxStatus
) -> OutboxMessage:
    stored = None

    async def reached() -> bool:
        nonlocal stored
        stored = await outbox.get(message.id)
        return stored is not None and stored.status is status

    await eventually(reached, what=f"{message.id} to become {status}")
    assert stored is not None
    return stored


async def eventually(
    check: Callable[[], Awaitable[bool] | bool], *, what: str, within_s: float = WAIT_S
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not await _value(check()):
        assert loop.time() < deadline, f"timed out after {within_s} s waiting for {what}"
        await asyncio.sleep(0.02)


async def _is_saved(position: Awaitable[object | None]) -> bool:
    return await position is not None


async def test_a_new_command_is_delivered_at_once_through_the_change_stream() -> None:
    outbox, delivery = WatchedOutbox(), ScriptedDelivery()
    async with running(consumer(outbox, delivery, NEVER_POLL)):
        await asyncio.wait_for(outbox.idle.wait(), WAIT_S)
        message = await command(outbox)

        delivered = await status_becomes(outbox, message, OutboxStatus.DELIVERED)

    assert delivery.message_ids == [message.id]
    assert delivered.delivered_at is not None and delivered.attempts == 1
    assert outbox.reported == [message.id]
    assert await outbox.stream_position("bot") is not None


async def test_a_restart_resumes_the_stream_where_it_stopped() -> None:
    first_run = WatchedOutbox()
    async with running(consumer(first_run, ScriptedDelivery(), NEVER_POLL)):
        await asyncio.wait_for(first_run.watching.wait(), WAIT_S)
        await status_becomes(first_run, await command(first_run), OutboxStatus.DELIVERED)
        # The position is saved at the end of the round that delivered it, a moment later.
        await eventually(
            lambda: _is_saved(first_run.stream_position("bot")), what="the saved position"
        )
    saved = await first_run.stream_position("bot")
    while_stopped = await command(first_run)

    second_run, delivery = WatchedOutbox(), ScriptedDelivery()
    async with running(consumer(second_run, delivery, NEVER_POLL)):
        await status_becomes(second_run, while_stopped, OutboxStatus.DELIVERED)
        # Reported by the stream although inserted before it opened: it resumed from `saved`.
        await eventually(lambda: while_stopped.id in second_run.reported, what="the replay")

    assert saved is not None and second_run.opened_after == [saved]
    assert delivery.message_ids == [while_stopped.id]


async def test_a_position_that_cannot_be_resumed_is_dropped_for_now(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outbox, delivery = WatchedOutbox(), ScriptedDelivery()
    unreadable: StreamPosition = {"_data": "00"}
    await outbox.save_stream_position("bot", unreadable, utc_now())
    timings = ConsumerTimings(poll_every=NEVER_POLL.poll_every, first_pause=FAST.first_pause)

    async with running(consumer(outbox, delivery, timings)):
        await asyncio.wait_for(outbox.idle.wait(), WAIT_S)
        message = await command(outbox)
        await status_becomes(outbox, message, OutboxStatus.DELIVERED)

    assert outbox.opened_after == [unreadable, None]
    assert outbox.reported == [message.id]
    assert "can no longer be resumed" in caplog.text


async def test_polling_delivers_when_the_database_cannot_stream_changes(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.bot.outbox")
    outbox, delivery = WatchedOutbox(), ScriptedDelivery()
    standalone_mongod = failing_change_streams(database, code=40573)
    async with standalone_mongod, running(consumer(outbox, delivery)):
        first = await command(outbox)
        await status_becomes(outbox, first, OutboxStatus.DELIVERED)
        second = await command(outbox)
        await status_becomes(outbox, second, OutboxStatus.DELIVERED)

    assert delivery.message_ids == [first.id, second.id]
    # Tried once, then polling only: a standalone server never starts streaming.
    assert outbox.opened_after == [None] and not outbox.watching.is_set()
    assert "cannot stream changes" in caplog.text


async def test_a_broken_stream_is_logged_once_and_reopened_while_polling_goes_on(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    outbox, delivery = WatchedOutbox(), ScriptedDelivery()
    async with failing_change_streams(database, code=2), running(consumer(outbox, delivery)):
        message = await command(outbox)
        await status_becomes(outbox, message, OutboxStatus.DELIVERED)
        await asyncio.wait_for(outbox.watching.wait(), WAIT_S)

    assert delivery.message_ids == [message.id]
    assert outbox.opened_after == [None, None]
    warnings = [r for r in caplog.records if "change stream failed" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].exc_info, "logged once, with its traceback"


async def test_two_consumers_never_deliver_one_message_twice() -> None:
    outbox = BeanieOutboxRepository()
    messages = [await command(outbox) for _ in range(12)]
    shared = ScriptedDelivery(takes_s=0.01)

    async with running(
        consumer(outbox, shared, name="shard-a"), consumer(outbox, shared, name="shard-b")
    ):
        for message in messages:
            await status_becomes(outbox, message, OutboxStatus.DELIVERED)

    assert sorted(shared.message_ids) == sorted(message.id for message in messages)


async def test_a_passing_failure_is_retried_with_backoff_until_delivered() -> None:
    outbox = BeanieOutboxRepository()
    outage = RetryLater("Discord is unavailable.")
    delivery = ScriptedDelivery(outage, outage)
    async with running(consumer(outbox, delivery)):
        message = await command(outbox)
        delivered = await status_becomes(outbox, message, OutboxStatus.DELIVERED)

    assert delivered.attempts == 3
    assert delivered.last_error == outage.reason
    (_, first), (_, second), (_, third) = delivery.attempts
    # 0.3 s after the first attempt, then doubled (to 0.6 s, capped at 0.5 s); the next poll
    # after that picks it up.
    assert 0.29 <= second - first < 1.5
    assert 0.49 <= third - second < 1.5


async def test_a_command_that_cannot_succeed_fails_without_retries() -> None:
    outbox = BeanieOutboxRepository()
    refusal = Failed("Choose a channel for the weekly digest first, with /config digest.")
    delivery = ScriptedDelivery(refusal)
    async with running(consumer(outbox, delivery)):
        message = await command(outbox)
        failed = await status_becomes(outbox, message, OutboxStatus.FAILED)
        await asyncio.sleep(5 * FAST.poll_every.total_seconds())

    assert failed.last_error == refusal.reason and failed.attempts == 1
    assert delivery.message_ids == [message.id]


async def test_commands_past_their_deadline_are_marked_expired_not_delivered() -> None:
    outbox, delivery = BeanieOutboxRepository(), ScriptedDelivery()
    now = utc_now()
    overdue = await command(outbox, expires_at=now - timedelta(seconds=1))
    # Never due before its deadline: expires while the consumer runs.
    expiring = await command(
        outbox,
        available_at=now + timedelta(minutes=5),
        expires_at=now + timedelta(seconds=0.5),
    )
    async with running(consumer(outbox, delivery)):
        await status_becomes(outbox, overdue, OutboxStatus.EXPIRED)
        await status_becomes(outbox, expiring, OutboxStatus.EXPIRED)

    assert delivery.attempts == []


async def test_a_consumer_serving_some_servers_claims_only_their_commands() -> None:
    outbox, delivery = BeanieOutboxRepository(), ScriptedDelivery()
    ours, theirs = await command(outbox, guild_id=1), await command(outbox, guild_id=2)
    async with running(consumer(outbox, delivery, served_guilds=lambda: [1, 3])):
        await status_becomes(outbox, ours, OutboxStatus.DELIVERED)
        await asyncio.sleep(5 * FAST.poll_every.total_seconds())

    assert delivery.message_ids == [ours.id]
    still = await outbox.get(theirs.id)
    assert still is not None and still.status is OutboxStatus.PENDING and still.attempts == 0


@asynccontextmanager
async def failing_change_streams(database: Database, *, code: int) -> AsyncIterator[None]:
    """The next change stream the server is asked to open fails with `code`."""
    admin = database.client.admin
    await admin.command(
        "configureFailPoint",
        "failCommand",
        mode={"times": 1},
        data={"failCommands": ["aggregate"], "errorCode": code},
    )
    try:
        yield
    finally:
        await admin.command("configureFailPoint", "failCommand", mode="off")


async def _value(result: Awaitable[bool] | bool) -> bool:
    return await result if inspect.isawaitable(result) else result
