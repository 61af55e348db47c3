"""What the bot's outbox delivery makes of real commands: the real bus and repositories, with
Discord's answers scripted at the announcer.

A "post the digest now" queues the week's digest and follows it: delivered once the digest is
posted, failed with the digest's reason, retried while the digest waits in the outbox. How a
failure is judged shows on the digest's replay, which the request then reports."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any, cast

import aiohttp
import discord
import pytest

from app.bot.outbox import BusDelivery, Delivered, Failed, Outcome, RetryLater
from app.bot.outbox.delivery import MALFORMED, UNEXPECTED
from app.core.analytics import WeekTotals
from app.core.bootstrap import Dependencies, bootstrap
from app.core.bus import MessageBus
from app.core.clock import utc_now
from app.core.commands import FollowDelivery, PostDigest, ReplayAdminNotice, ReplayDigest
from app.core.debriefing.digest import digest_period
from app.core.deliveries import LIVE_SEND_FAILED
from app.core.events import DigestChannelRefused, DigestWritten
from app.core.guilds import GuildConfig
from app.core.handlers import BOT_HANDLERS
from app.core.handlers.digests import NoDigestChannel
from app.core.outbox import DIGEST_KIND, POST_DIGEST_KIND, OutboxMessage
from app.core.ports import Announcer
from app.shared.db.connection import Database
from tests.support.factories import outbox_fields
from tests.unit.wiring import FakeChannels, fake_ai, packaged_catalog

GUILD = 4242
CHANNEL = 777
RACERS = 6
WAITING = RetryLater(f"Not posted yet: {LIVE_SEND_FAILED}")


class ScriptedAnnouncer(Announcer):
    """Fails with the given errors, one per post, then posts."""

    def __init__(self, *failures: Exception) -> None:
        self._failures = list(failures)
        self.posted: list[tuple[int, str]] = []
        self.told: list[tuple[int, int, str]] = []

    async def post_digest(
        self, guild_id: int, channel_id: int, week: str, text: str, totals: WeekTotals
    ) -> None:
        if self._failures:
            raise self._failures.pop(0)
        self.posted.append((channel_id, week))

    async def post_record(self, guild_id: int, channel_id: int, user_id: int, text: str) -> None:
        if self._failures:
            raise self._failures.pop(0)
        self.posted.append((channel_id, text))

    async def tell_admin(self, guild_id: int, user_id: int, text: str) -> None:
        raise AssertionError("no digest here is turned off")


class _Response:
    """What discord.py reads from an HTTP response to build its exception."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "scripted"


def discord_error(kind: type[discord.HTTPException], status: int) -> discord.HTTPException:
    return kind(cast(aiohttp.ClientResponse, _Response(status)), "internal detail from Discord")


@pytest.fixture
def dependencies(database: Database) -> Dependencies:
    return database.dependencies(packaged_catalog())


def bot_bus(dependencies: Dependencies, announcer: Announcer) -> MessageBus:
    return bootstrap(
        dependencies,
        fake_ai(),
        handlers=BOT_HANDLERS.only(
            commands=(PostDigest, FollowDelivery, ReplayDigest, ReplayAdminNotice),
            events=(DigestWritten, DigestChannelRefused),
        ),
        extra_dependencies={"announcer": announcer, "channels": FakeChannels({CHANNEL: GUILD})},
    )


async def deliver(
    dependencies: Dependencies, announcer: Announcer, request: OutboxMessage
) -> Outcome:
    """A "post the digest now" command delivered by the bot (again, when retried)."""
    return await BusDelivery(bot_bus(dependencies, announcer))(request)


async def replay_digest(dependencies: Dependencies, announcer: Announcer) -> Outcome:
    """The bot's outbox consumer: claims the digest the live post handed over, delivers it and
    records the outcome."""
    outbox = dependencies.outbox
    message = await outbox.claim_due(
        utc_now(), timedelta(minutes=5), {DIGEST_KIND}, guild_ids=[GUILD]
    )
    assert message is not None, "the digest is due for the outbox consumer"
    outcome = await BusDelivery(bot_bus(dependencies, announcer))(message)
    match outcome:
        case Delivered():
            await outbox.mark_delivered(message.id, utc_now())
        case Failed(reason=reason):
            await outbox.mark_failed(message.id, reason)
        case RetryLater(reason=reason):
            await outbox.retry_later(message.id, utc_now(), reason)
    return outcome


async def request_now(
    dependencies: Dependencies, payload: dict[str, Any] | None = None
) -> OutboxMessage:
    """A "post the digest now" command, queued as the API does."""
    fields = outbox_fields(kind=POST_DIGEST_KIND, payload=payload or {"guild_id": GUILD})
    return await dependencies.outbox.enqueue(fields)


async def with_digest_channel(dependencies: Dependencies, guild_id: int = GUILD) -> None:
    await dependencies.guild_configs.save(GuildConfig(guild_id=guild_id, digest_channel_id=CHANNEL))


async def test_a_digest_command_posts_once_and_a_repeat_counts_as_delivered(
    dependencies: Dependencies,
) -> None:
    await with_digest_channel(dependencies)
    announcer = ScriptedAnnouncer()
    request = await request_now(dependencies, {"guild_id": GUILD, "requested_by": 42})

    assert await deliver(dependencies, announcer, request) == Delivered()
    # Delivered again (a lease ran out mid-delivery, say): the digest is not posted twice.
    assert await deliver(dependencies, announcer, request) == Delivered()

    assert [channel for channel, _ in announcer.posted] == [CHANNEL]


async def test_of_racing_requests_exactly_one_posts_and_the_others_are_told_so(
    dependencies: Dependencies,
) -> None:
    await with_digest_channel(dependencies)
    announcer = ScriptedAnnouncer()
    requests = [await request_now(dependencies) for _ in range(RACERS)]

    outcomes = await asyncio.gather(*(deliver(dependencies, announcer, r) for r in requests))

    assert len(announcer.posted) == 1
    assert outcomes.count(Delivered()) == 1
    others = [o for o in outcomes if o != Delivered()]
    week = digest_period(utc_now()).label
    for told in others:
        # Posted by then, or still on its way: either way said, never a false "delivered".
        assert isinstance(told, Failed), told
        assert told.reason.startswith(f"This week's digest ({week}) ")
        assert told.reason.endswith("one digest a week, so this request posted nothing.")


async def test_a_server_without_a_digest_channel_fails_with_what_to_do(
    dependencies: Dependencies,
) -> None:
    outcome = await deliver(dependencies, ScriptedAnnouncer(), await request_now(dependencies))

    assert outcome == Failed(NoDigestChannel.user_message)


async def test_a_discord_outage_is_retried_from_the_outbox_and_the_command_waits_for_it(
    dependencies: Dependencies,
) -> None:
    await with_digest_channel(dependencies)
    outage = discord_error(discord.DiscordServerError, 503)
    announcer = ScriptedAnnouncer(outage, outage)

    request = await request_now(dependencies)

    first = await deliver(dependencies, announcer, request)
    replayed = await replay_digest(dependencies, announcer)
    waiting = await deliver(dependencies, announcer, request)
    posted = await replay_digest(dependencies, announcer)
    done = await deliver(dependencies, announcer, request)

    assert first == WAITING, "the live post failed: not delivered yet"
    assert replayed == RetryLater("Discord is unavailable.")
    assert waiting == RetryLater("Not posted yet: Discord is unavailable.")
    assert (posted, done) == (Delivered(), Delivered())
    assert len(announcer.posted) == 1


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (
            discord_error(discord.Forbidden, 403),
            Failed("Discord refused: the bot lacks access to the channel."),
        ),
        (
            discord_error(discord.NotFound, 404),
            Failed("Discord refused: the channel no longer exists."),
        ),
        (
            discord_error(discord.HTTPException, 400),
            Failed("Discord refused the message."),
        ),
        (
            discord_error(discord.HTTPException, 429),
            RetryLater("Discord is unavailable."),
        ),
        (TimeoutError(), RetryLater("Timed out.")),
        (aiohttp.ClientConnectionError("refused"), RetryLater("Could not reach Discord.")),
    ],
    ids=["forbidden", "not-found", "bad-request", "rate-limited", "timeout", "unreachable"],
)
async def test_discord_failures_are_final_or_passing_and_the_command_reports_them(
    dependencies: Dependencies, error: Exception, outcome: Outcome
) -> None:
    await with_digest_channel(dependencies)
    announcer = ScriptedAnnouncer(error, error)
    request = await request_now(dependencies)
    assert await deliver(dependencies, announcer, request) == WAITING

    assert await replay_digest(dependencies, announcer) == outcome

    reported = await deliver(dependencies, announcer, request)
    if isinstance(outcome, Failed):
        assert reported == outcome
    else:
        assert reported == RetryLater(f"Not posted yet: {outcome.reason}")


@pytest.mark.parametrize("payload", [{}, {"guild_id": "not a server"}], ids=["empty", "garbled"])
@pytest.mark.parametrize("kind", [POST_DIGEST_KIND, DIGEST_KIND])
async def test_a_malformed_message_fails_without_reaching_the_bus(
    dependencies: Dependencies, payload: dict[str, Any], kind: str
) -> None:
    announcer = ScriptedAnnouncer()
    message = await dependencies.outbox.enqueue(outbox_fields(kind=kind, payload=payload))

    assert await BusDelivery(bot_bus(dependencies, announcer))(message) == Failed(MALFORMED)
    assert announcer.posted == []


async def test_an_unforeseen_error_is_logged_with_its_traceback_and_retried_without_details(
    dependencies: Dependencies, caplog: pytest.LogCaptureFixture
) -> None:
    await with_digest_channel(dependencies)
    internals = RuntimeError("pool 7: connection to db.internal:27017 reset")
    announcer = ScriptedAnnouncer(internals, internals)
    request = await request_now(dependencies)
    await deliver(dependencies, announcer, request)

    outcome = await replay_digest(dependencies, announcer)

    assert outcome == RetryLater(UNEXPECTED)
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info and "failed unexpectedly" in record.getMessage()
    assert await deliver(dependencies, announcer, request) == RetryLater(
        f"Not posted yet: {UNEXPECTED}"
    )
