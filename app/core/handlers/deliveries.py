"""Outbox entries the bot sends on its own initiative: sent at once, followed by whoever asked.

subscriber queues the entry, leased to this process ─▶ send_now ─▶ delivered, failed,
    or handed over (due at once: the outbox consumer replays it, with backoff)
FollowDelivery ─▶ how far an entry got, for a command that handed its outcome to it
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import FollowDelivery
from app.core.deliveries import (
    EXPIRED,
    LIVE_SEND_FAILED,
    NOT_QUEUED,
    DeliveryFailed,
    DeliveryPending,
)
from app.core.errors import DomainError
from app.core.outbox import OutboxMessage, OutboxStatus
from app.core.ports import OutboxRepository

logger = logging.getLogger(__name__)


async def send_now(
    message: OutboxMessage,
    send: Callable[[], Awaitable[None]],
    *,
    outbox: OutboxRepository,
    clock: Clock,
) -> None:
    """The live send of a queued entry, with the same function a replay uses (`send`).

    Sent: delivered. A DomainError (retrying cannot help): failed with its reason. Anything
    else (Discord or the network failed): due at once, so the outbox consumer retries it.
    """
    if message.status is not OutboxStatus.PENDING:
        return  # queued before, and already settled: never sent twice
    try:
        await send()
    except DomainError as refused:
        await outbox.mark_failed(message.id, refused.user_message)
        return
    except Exception:
        logger.warning(
            "sending %s %s failed; handing it to the outbox",
            message.kind,
            message.id,
            exc_info=True,
        )
        await outbox.retry_later(message.id, clock(), LIVE_SEND_FAILED)
        return
    await outbox.mark_delivered(message.id, clock())


async def follow_delivery(cmd: FollowDelivery, *, emit: Emit, outbox: OutboxRepository) -> None:
    message = await outbox.find(cmd.dedupe_key)
    if message is None:
        raise DeliveryPending(NOT_QUEUED)
    match message.status:
        case OutboxStatus.DELIVERED:
            return
        case OutboxStatus.PENDING:
            raise DeliveryPending(message.last_error)
        case OutboxStatus.FAILED:
            raise DeliveryFailed(message.last_error)
        case OutboxStatus.EXPIRED:
            raise DeliveryFailed(EXPIRED)
