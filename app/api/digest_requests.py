""" "Post the digest now", through the outbox: the API queues it, the bot carries it out.

How far it got is a read (`app.core.reads.guilds.visible_command`)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from app.core.clock import Clock
from app.core.cross_process import PostDigestRequest
from app.core.handlers.digests import NoDigestChannel
from app.core.outbox import POST_DIGEST_KIND, OutboxMessage
from app.core.ports import GuildConfigRepository, OutboxRepository

# A digest asked for "now" is pointless a day later: the bot gives up and marks it expired.
DIGEST_DEADLINE = timedelta(days=1)


async def request_digest(
    outbox: OutboxRepository,
    guild_configs: GuildConfigRepository,
    clock: Clock,
    *,
    guild_id: int,
    requested_by: int,
    idempotency_key: str | None,
) -> OutboxMessage:
    """Queue a "post the digest now" for the bot; the same idempotency key queues it once."""
    config = await guild_configs.get(guild_id)
    if config.digest_channel_id is None:
        raise NoDigestChannel  # the bot could only fail it until it expired
    now = clock()
    # Scoped to the caller and server, so nobody else's key can collide with theirs.
    dedupe = f"{POST_DIGEST_KIND}:{guild_id}:{requested_by}:{idempotency_key or uuid.uuid4().hex}"
    request = PostDigestRequest(guild_id=guild_id, requested_by=requested_by)
    return await outbox.enqueue(
        request.outbox_message(dedupe_key=dedupe, now=now, deadline=DIGEST_DEADLINE)
    )
