"""The weekly digest and the admin's notice as outbox entries, through bootstrap() with fakes:
decided and written by the handler, queued by a subscriber, posted at once, replayed by the
outbox delivery after a failure, and followed by the API's "post now" command."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from app.bot.outbox import BOT_KINDS, BusDelivery, Delivered, Failed, Outcome, RetryLater
from app.bot.outbox.delivery import UNEXPECTED
from app.core.bootstrap import Dependencies
from app.core.bus import MessageBus
from app.core.commands import FollowDelivery, PostDigest
from app.core.cross_process import PostDigestRequest
from app.core.debriefing.digest import digest_period, scheduled_period
from app.core.deliveries import (
    DIGEST_KEPT_FOR,
    EXPIRED,
    LIVE_LEASE,
    LIVE_SEND_FAILED,
    NOTICE_KEPT_FOR,
    DeliveryFailed,
    DeliveryPending,
    HandedOver,
    digest_key,
)
from app.core.errors import ChannelOutsideServer
from app.core.guilds import GuildConfig
from app.core.handlers.digests import DigestChannelGone, NoDigestChannel
from app.core.outbox import (
    ADMIN_NOTICE_KIND,
    DIGEST_KIND,
    OutboxFields,
    OutboxMessage,
    OutboxStatus,
)
from tests.support.factories import T0, match_fields
from tests.unit.fakes import FakeOutbox, FrozenClock
from tests.unit.wiring import (
    FakeAI,
    FakeAnnouncer,
    FakeChannels,
    fake_ai,
    fake_bus,
    fake_dependencies,
)

GUILD, CHANNEL, ADMIN = 1, 77, 5
WEEK = scheduled_period(T0).label
KEY = digest_key(GUILD, WEEK)
# What an admin's "post now" covers: the seven days up to now.
REQUESTED_WEEK = digest_period(T0).label
# The consumer's lease on what it claims, and its first retry.
CLAIM_LEASE = timedelta(minutes=5)
RETRY = timedelta(seconds=5)
WAITING = RetryLater(f"Not posted yet: {LIVE_SEND_FAILED}")


class World:
    """One bot process: the fakes, its bus, and its outbox delivery run by hand."""

    def __init__(
        self,
        *,
        ai: FakeAI | None = None,
        outbox: FakeOutbox | None = None,
        start: datetime = T0,
    ) -> None:
        self.clock = FrozenClock(start)
        deps = fake_dependencies(self.clock)
        self.deps: Dependencies = (
            deps if outbox is None else Dependencies(**{**deps.__dict__, "outbox": outbox})
        )
        self.channels = FakeChannels({CHANNEL: GUILD})
        self.announcer = FakeAnnouncer(self.channels)
        self.bus: MessageBus = fake_bus(
            self.deps,
            fake_ai(ai),
            extra_dependencies={"announcer": self.announcer, "channels": self.channels},
        )

    async def with_digest_channel(self) -> None:
        await self.deps.guild_configs.save(
            GuildConfig(guild_id=GUILD, digest_channel_id=CHANNEL, updated_by=ADMIN)
        )

    async def entries(self, kind: str) -> list[OutboxMessage]:
        outbox = self.deps.outbox
        assert isinstance(outbox, FakeOutbox)
        return [m for m in outbox.rows.values() if m.kind == kind]

    async def entry(self, kind: str) -> OutboxMessage:
        [message] = await self.entries(kind)
        return message

    async def consume(self) -> list[tuple[str, Outcome]]:
        """One round of the bot's outbox consumer: every due message, delivered and settled."""
        outbox, done = self.deps.outbox, []
        while (message := await outbox.claim_due(self.clock(), CLAIM_LEASE, BOT_KINDS)) is not None:
            outcome = await BusDelivery(self.bus)(message)
            match outcome:
                case Delivered():
                    await outbox.mark_delivered(message.id, self.clock())
                case Failed(reason=reason):
                    await outbox.mark_failed(message.id, reason)
                case RetryLater(reason=reason):
                    await outbox.retry_later(message.id, self.clock() + RETRY, reason)
            done.append((message.kind, outcome))
        return done

    async def request_now(self) -> OutboxMessage:
        """The API's "post the digest now", as it queues it."""
        request = PostDigestRequest(guild_id=GUILD, requested_by=ADMIN)
        return await self.deps.outbox.enqueue(
            request.outbox_message(
                dedupe_key=f"request-{len(await self.entries(request.KIND))}",
                now=self.clock(),
                deadline=timedelta(days=1),
            )
        )

    async def status(self, message: OutboxMessage) -> tuple[OutboxStatus, str | None]:
        stored = await self.deps.outbox.get(message.id)
        assert stored is not None
        return stored.status, stored.last_error


async def test_the_digest_is_written_queued_and_posted_at_once() -> None:
    world = World()
    await world.with_digest_channel()

    answer = await world.bus.handle(PostDigest(guild_id=GUILD))

    assert answer == HandedOver(dedupe_key=KEY)
    assert world.announcer.posted == [(CHANNEL, WEEK, "A week of 0 matches.")]
    entry = await world.entry(DIGEST_KIND)
    assert (entry.dedupe_key, entry.status, entry.payload["text"]) == (
        KEY,
        OutboxStatus.DELIVERED,
        "A week of 0 matches.",
    )
    assert entry.expires_at == T0 + DIGEST_KEPT_FOR
    await world.bus.handle(FollowDelivery(dedupe_key=KEY))  # delivered: returns


async def test_the_digest_is_posted_once_per_week_however_often_it_is_asked_for() -> None:
    world = World()
    await world.with_digest_channel()

    for requested_by in (None, ADMIN, None):
        answer = await world.bus.handle(PostDigest(guild_id=GUILD, requested_by=requested_by))
        assert answer == HandedOver(dedupe_key=KEY)

    assert len(world.announcer.posted) == 1
    assert len(await world.entries(DIGEST_KIND)) == 1


async def test_without_the_ai_the_template_is_queued() -> None:
    world = World(ai=FakeAI(down=True))
    await world.with_digest_channel()

    await world.bus.handle(PostDigest(guild_id=GUILD))

    [(_, _, text)] = world.announcer.posted
    assert text != "A week of 0 matches." and WEEK in text
    assert (await world.entry(DIGEST_KIND)).payload["text"] == text


async def test_a_digest_on_friday_evening_is_the_week_just_played_today_included() -> None:
    friday_evening = datetime(2026, 11, 20, 20, 3, tzinfo=T0.tzinfo)
    world = World(start=friday_evening)
    await world.with_digest_channel()
    played = [
        friday_evening - timedelta(days=7, hours=1),  # before last Friday's digest: not this one
        friday_evening - timedelta(days=6, hours=23),  # last Friday, after its digest
        friday_evening - timedelta(hours=2),  # today, before the scheduled hour
        friday_evening - timedelta(minutes=2),  # after 20:00: the next digest's
    ]
    for moment in played:
        await world.deps.matches.add(match_fields(guild_id=GUILD, played_at=moment))

    await world.bus.handle(PostDigest(guild_id=GUILD))

    assert world.announcer.posted == [(CHANNEL, "2026-W47", "A week of 2 matches.")]


async def test_no_digest_without_a_channel() -> None:
    world = World()
    with pytest.raises(NoDigestChannel):
        await world.bus.handle(PostDigest(guild_id=GUILD))
    assert await world.entries(DIGEST_KIND) == []


async def test_a_post_discord_fails_is_handed_to_the_outbox_and_posted_by_the_replay() -> None:
    world = World()
    await world.with_digest_channel()
    world.announcer.down = True

    await world.bus.handle(PostDigest(guild_id=GUILD))

    entry = await world.entry(DIGEST_KIND)
    assert (entry.status, entry.available_at, entry.last_error) == (
        OutboxStatus.PENDING,
        T0,
        LIVE_SEND_FAILED,
    ), "due at once, for the outbox consumer"
    assert world.announcer.posted == []
    with pytest.raises(DeliveryPending):
        await world.bus.handle(FollowDelivery(dedupe_key=KEY))

    # Still down: retried with backoff, not given up.
    assert await world.consume() == [(DIGEST_KIND, RetryLater(UNEXPECTED))]
    world.announcer.down = False
    world.clock.now += RETRY
    assert await world.consume() == [(DIGEST_KIND, Delivered())]
    assert [week for _, week, _ in world.announcer.posted] == [WEEK]
    assert await world.consume() == [], "posted once"
    await world.bus.handle(FollowDelivery(dedupe_key=KEY))


async def test_a_process_that_died_before_posting_leaves_it_to_the_replay() -> None:
    world = World()
    await world.with_digest_channel()
    digest = (await world.bus.handle(PostDigest(guild_id=GUILD))).dedupe_key
    posted_live = list(world.announcer.posted)
    # As if that process had died between queueing and posting: the entry stays leased.
    outbox = world.deps.outbox
    assert isinstance(outbox, FakeOutbox)
    entry = await world.entry(DIGEST_KIND)
    outbox.rows[entry.id] = entry.model_copy(
        update={"status": OutboxStatus.PENDING, "available_at": T0 + LIVE_LEASE}
    )
    world.announcer.posted.clear()

    assert await world.consume() == [], "kept from the consumer while the lease runs"
    world.clock.now = T0 + LIVE_LEASE
    assert await world.consume() == [(DIGEST_KIND, Delivered())]
    assert world.announcer.posted == posted_live
    await world.bus.handle(FollowDelivery(dedupe_key=digest))


async def test_a_digest_that_could_not_be_queued_gives_the_week_back() -> None:
    class Unreachable(FakeOutbox):
        down = True

        async def enqueue(self, message: OutboxFields) -> OutboxMessage:
            if message.kind == DIGEST_KIND and self.down:
                raise ConnectionError("the database is down")
            return await super().enqueue(message)

    outbox = Unreachable()
    world = World(outbox=outbox)
    await world.with_digest_channel()

    await world.bus.handle(PostDigest(guild_id=GUILD))  # the subscriber's failure is logged
    assert world.announcer.posted == []
    with pytest.raises(DeliveryPending):
        await world.bus.handle(FollowDelivery(dedupe_key=KEY))

    outbox.down = False
    await world.bus.handle(PostDigest(guild_id=GUILD))
    assert len(world.announcer.posted) == 1


async def test_a_channel_that_left_the_server_before_the_replay_fails_it_for_good() -> None:
    world = World()
    await world.with_digest_channel()
    world.announcer.down = True
    await world.bus.handle(PostDigest(guild_id=GUILD))
    world.announcer.down = False
    del world.channels.guilds[CHANNEL]  # deleted while Discord was down

    [(kind, outcome)] = await world.consume()

    assert (kind, outcome) == (DIGEST_KIND, Failed(DigestChannelGone.user_message))
    assert world.announcer.posted == []
    config = await world.deps.guild_configs.get(GUILD)
    assert (config.digest_channel_id, config.digest_problem) == (
        None,
        DigestChannelGone.user_message,
    )
    [(guild, admin, text)] = world.announcer.told
    assert (guild, admin) == (GUILD, ADMIN) and f"<#{CHANNEL}>" in text
    assert (await world.entry(ADMIN_NOTICE_KIND)).status is OutboxStatus.DELIVERED
    with pytest.raises(DeliveryFailed, match="no longer a channel of this server"):
        await world.bus.handle(FollowDelivery(dedupe_key=KEY))
    world.clock.now += timedelta(hours=1)
    assert await world.consume() == [], "never retried"


async def test_a_channel_replaced_since_is_not_turned_off_by_the_old_digest() -> None:
    world = World()
    await world.with_digest_channel()
    world.announcer.down = True
    await world.bus.handle(PostDigest(guild_id=GUILD))
    world.announcer.down = False
    del world.channels.guilds[CHANNEL]
    world.channels.guilds[88] = GUILD
    config = await world.deps.guild_configs.get(GUILD)
    await world.deps.guild_configs.save(config.model_copy(update={"digest_channel_id": 88}))

    [(_, outcome)] = await world.consume()

    assert outcome == Failed(ChannelOutsideServer.user_message)
    assert (await world.deps.guild_configs.get(GUILD)).digest_channel_id == 88
    assert world.announcer.told == []


async def test_the_admins_notice_is_retried_when_discord_fails_and_sent_once() -> None:
    world = World()
    await world.deps.guild_configs.save(
        GuildConfig(guild_id=GUILD, digest_channel_id=99, updated_by=ADMIN)
    )
    world.announcer.down = True

    with pytest.raises(DigestChannelGone):
        await world.bus.handle(PostDigest(guild_id=GUILD))

    notice = await world.entry(ADMIN_NOTICE_KIND)
    assert (notice.status, notice.available_at, notice.payload["user_id"]) == (
        OutboxStatus.PENDING,
        T0,
        ADMIN,
    )
    assert notice.expires_at == T0 + NOTICE_KEPT_FOR
    world.announcer.down = False
    assert await world.consume() == [(ADMIN_NOTICE_KIND, Delivered())]
    [(_, admin, text)] = world.announcer.told
    assert admin == ADMIN and DigestChannelGone.user_message in text
    assert await world.consume() == []


async def test_a_notice_discord_never_takes_expires() -> None:
    world = World()
    await world.deps.guild_configs.save(
        GuildConfig(guild_id=GUILD, digest_channel_id=99, updated_by=ADMIN)
    )
    world.announcer.down = True
    with pytest.raises(DigestChannelGone):
        await world.bus.handle(PostDigest(guild_id=GUILD))

    world.clock.now = T0 + NOTICE_KEPT_FOR
    assert await world.deps.outbox.expire_overdue(world.clock()) == 1
    assert (await world.entry(ADMIN_NOTICE_KIND)).status is OutboxStatus.EXPIRED
    assert await world.consume() == []


async def test_nobody_is_told_when_no_admin_is_on_record() -> None:
    world = World()
    await world.deps.guild_configs.save(GuildConfig(guild_id=GUILD, digest_channel_id=99))

    with pytest.raises(DigestChannelGone):
        await world.bus.handle(PostDigest(guild_id=GUILD))

    assert await world.entries(ADMIN_NOTICE_KIND) == []


# -- "post the digest now", from the API ---------------------------------------------------


async def test_a_request_is_delivered_in_one_attempt_when_the_digest_is_posted() -> None:
    world = World()
    await world.with_digest_channel()
    request = await world.request_now()

    assert await world.consume() == [(request.kind, Delivered())]

    assert len(world.announcer.posted) == 1
    stored = await world.deps.outbox.get(request.id)
    assert stored is not None and (stored.status, stored.attempts) == (OutboxStatus.DELIVERED, 1)


async def test_a_request_waits_for_a_digest_discord_failed_and_is_delivered_once_posted() -> None:
    world = World()
    await world.with_digest_channel()
    world.announcer.down = True
    request = await world.request_now()

    # The request, then the digest its live post handed over, which fails again.
    first, replay = await world.consume()

    assert first == (request.kind, RetryLater(f"Not posted yet: {LIVE_SEND_FAILED}"))
    assert replay == (DIGEST_KIND, RetryLater(UNEXPECTED))
    assert await world.status(request) == (OutboxStatus.PENDING, first[1].reason)
    world.announcer.down = False
    world.clock.now += RETRY
    # The digest's replay and the request's retry fall due together; either may go first.
    await world.consume()
    world.clock.now += RETRY
    await world.consume()
    assert (await world.status(request))[0] is OutboxStatus.DELIVERED
    assert len(world.announcer.posted) == 1


async def test_a_request_fails_with_the_reason_when_the_channel_left_the_server() -> None:
    world = World()
    await world.with_digest_channel()
    world.announcer.down = True
    request = await world.request_now()
    await world.consume()
    world.announcer.down = False
    del world.channels.guilds[CHANNEL]
    world.clock.now += RETRY

    await world.consume()
    world.clock.now += RETRY
    await world.consume()

    assert await world.status(request) == (OutboxStatus.FAILED, DigestChannelGone.user_message)
    assert world.announcer.posted == []


async def test_a_request_for_a_week_whose_digest_expired_fails_and_says_so() -> None:
    midweek = T0 - timedelta(days=3)
    assert digest_period(midweek + DIGEST_KEPT_FOR).label == WEEK
    world = World(start=midweek)
    await world.with_digest_channel()
    world.announcer.down = True
    await world.bus.handle(PostDigest(guild_id=GUILD))
    world.clock.now = midweek + DIGEST_KEPT_FOR
    await world.deps.outbox.expire_overdue(world.clock())
    world.announcer.down = False
    request = await world.request_now()

    assert await world.consume() == [
        (
            request.kind,
            Failed(
                f"This week's digest ({WEEK}) was taken on at 2026-10-29 12:00 UTC and not "
                f"posted: {EXPIRED} This request posted nothing either: one digest a week."
            ),
        )
    ]
    assert world.announcer.posted == []


# -- two asking for the same week ----------------------------------------------------------


async def test_of_two_racing_requests_one_posts_and_the_other_is_told_it_was_posted() -> None:
    world = World()
    await world.with_digest_channel()
    first, second = await world.request_now(), await world.request_now()

    outcomes = await asyncio.gather(BusDelivery(world.bus)(first), BusDelivery(world.bus)(second))

    assert len(world.announcer.posted) == 1
    assert outcomes[0] == Delivered()
    assert isinstance(outcomes[1], Failed), "nothing was posted for the second: not delivered"
    assert outcomes[1].reason == (
        f"This week's digest ({REQUESTED_WEEK}) was already posted, at 2026-11-01 12:00 UTC: "
        "one digest a week, so this request posted nothing."
    )


async def test_a_request_racing_a_post_still_in_flight_is_told_it_is_being_posted() -> None:
    world = World()
    await world.with_digest_channel()
    world.announcer.down = True
    first, second = await world.request_now(), await world.request_now()

    assert await BusDelivery(world.bus)(first) == WAITING
    world.clock.now += timedelta(minutes=3)
    outcome = await BusDelivery(world.bus)(second)

    assert outcome == Failed(
        f"This week's digest ({REQUESTED_WEEK}) is already being posted, since "
        "2026-11-01 12:00 UTC: one digest a week, so this request posted nothing."
    )
    world.announcer.down = False
    for _ in range(2):  # the digest's replay and the first request's retry, in either order
        world.clock.now += RETRY
        await world.consume()
    assert len(world.announcer.posted) == 1
    assert (await world.status(first))[0] is OutboxStatus.DELIVERED


async def test_a_request_after_the_scheduled_post_is_told_when_it_was_posted() -> None:
    world = World()
    await world.with_digest_channel()
    await world.bus.handle(PostDigest(guild_id=GUILD))
    world.clock.now += timedelta(hours=2)
    request = await world.request_now()

    [(_, outcome)] = await world.consume()

    assert outcome == Failed(
        f"This week's digest ({WEEK}) was already posted, at 2026-11-01 12:00 UTC: "
        "one digest a week, so this request posted nothing."
    )
    assert len(world.announcer.posted) == 1
    assert (await world.status(request))[0] is OutboxStatus.FAILED
