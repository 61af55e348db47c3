"""Delivering an outbox command through the bus, and judging what a failure means.

Handlers are idempotent, so "already done" is a delivery. A command that hands its outcome to
another outbox entry (the digest a "post now" asked for) is delivered when that entry is, failed
when it failed, and retried while it waits. A domain error is the command's own fault (no
digest channel, say): retrying cannot fix it. Outages and timeouts pass: the
message is retried with backoff until its deadline. Anything else is a bug or an outage we
did not foresee: it is logged with its traceback and retried, since dropping a command an
admin asked for is worse than trying again.
"""

from __future__ import annotations

import logging

import aiohttp
import discord
from pydantic import ValidationError
from pymongo.errors import PyMongoError

from app.bot.outbox.commands import command_for
from app.bot.outbox.outcomes import Delivered, Failed, Outcome, RetryLater
from app.core.bus import MessageBus
from app.core.commands import FollowDelivery
from app.core.deliveries import DeliveryPending, HandedOver
from app.core.errors import AIUnavailable, Conflict, CooldownActive, DomainError
from app.core.i18n import N_
from app.core.outbox import OutboxMessage

logger = logging.getLogger(__name__)

MALFORMED = N_("The command is malformed.")
UNEXPECTED = N_("Unexpected error; it has been logged.")


class BusDelivery:
    """Hands each message to the bus as the command it stands for."""

    def __init__(self, bus: MessageBus) -> None:
        self._bus = bus

    async def __call__(self, message: OutboxMessage) -> Outcome:
        try:
            command = command_for(message)
        except ValidationError:
            return Failed(MALFORMED)
        try:
            result = await self._bus.handle(command)
            if isinstance(result, HandedOver):
                # By now the entry was queued and, most often, sent: its fate is this one's.
                await self._bus.handle(FollowDelivery(dedupe_key=result.dedupe_key))
        except Exception as error:  # noqa: BLE001 - judged() logs the unforeseen
            return judged(error, message)
        return Delivered()


def judged(error: Exception, message: OutboxMessage) -> Outcome:
    """What a failed delivery means; a failure nobody foresaw is logged and retried."""
    known = outcome_of_failure(error)
    if known is not None:
        return known
    logger.error(
        "outbox message %s (%s) failed unexpectedly; it will be retried",
        message.id,
        message.kind,
        exc_info=error,
    )
    return RetryLater(UNEXPECTED)


def outcome_of_failure(error: Exception) -> Outcome | None:
    """What a failed delivery means for the message, or None for a failure nobody foresaw.

    Reasons are safe to show to users: written here, or a domain error's own message.
    """
    if isinstance(error, Conflict):
        # Done already, by an earlier delivery of the same message or by other work.
        return Delivered()
    if isinstance(error, DeliveryPending):
        return RetryLater(error.user_message)
    if isinstance(error, AIUnavailable):
        return RetryLater(N_("The AI is unavailable."))
    if isinstance(error, CooldownActive):
        return RetryLater(N_("A cooldown is running."))
    if isinstance(error, DomainError):
        return Failed(error.user_message)
    return _outcome_of_outage(error)


def _outcome_of_outage(error: Exception) -> Outcome | None:
    if isinstance(error, discord.HTTPException):
        return _outcome_of_discord_refusal(error)
    if isinstance(error, discord.RateLimited):
        return RetryLater(N_("Discord is rate limiting the bot."))
    if isinstance(error, TimeoutError):
        return RetryLater(N_("Timed out."))
    if isinstance(error, aiohttp.ClientError | discord.ConnectionClosed):
        return RetryLater(N_("Could not reach Discord."))
    if isinstance(error, PyMongoError):
        return RetryLater(N_("The database is unavailable."))
    return None


def _outcome_of_discord_refusal(error: discord.HTTPException) -> Outcome:
    # A reason is stored in English and translated where it is shown, so it is a catalog
    # message as it is: the HTTP status goes to the log, not into the reason.
    status = error.status
    logger.warning("Discord refused an outbox delivery (HTTP %d)", status)
    if status >= 500 or status == 429:
        return RetryLater(N_("Discord is unavailable."))
    if isinstance(error, discord.Forbidden):
        return Failed(N_("Discord refused: the bot lacks access to the channel."))
    if isinstance(error, discord.NotFound):
        return Failed(N_("Discord refused: the channel no longer exists."))
    return Failed(N_("Discord refused the message."))
