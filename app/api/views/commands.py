"""Commands for the bot, through the outbox: the API queues them, the bot carries them out."""

from __future__ import annotations

import uuid
from datetime import timedelta

from app.api.auth.principal import Principal
from app.core.clock import Clock
from app.core.cross_process import PostDigestRequest
from app.core.errors import NotFound
from app.core.handlers.digests import NoDigestChannel
from app.core.outbox import POST_DIGEST_KIND, OutboxMessage
from app.core.ports import GuildConfigRepository, OutboxRepository

# The kinds a user may follow through the API; other outbox work (replies) is internal.
API_COMMAND_KINDS = frozenset({POST_DIGEST_KIND})
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


async def visible_command(
    outbox: OutboxRepository, principal: Principal, command_id: str
) -> OutboxMessage:
    """A command the caller asked for, or one of a server they manage."""
    message = await outbox.get(command_id)
    if (
        message is None
        or message.kind not in API_COMMAND_KINDS
        or not _may_follow(principal, message)
    ):
        raise NotFound("No command with that id.")
    return message


def _may_follow(principal: Principal, message: OutboxMessage) -> bool:
    request = PostDigestRequest.model_validate(message.payload)
    return request.requested_by == principal.discord_id or request.guild_id in principal.admin_of
