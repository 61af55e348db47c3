""" "Post the digest now", asked from the web: the API decides and records, the bot posts.

The handler checks who asks and whether there is anything to post, then emits
`DigestRequested`; the subscriber writes the command for the bot into the outbox, where the
bot's consumer picks it up (`PostDigestRequest`, the model both processes share).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from app.core.actors import ensure_admin
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import RequestDigestNow
from app.core.cross_process import PostDigestRequest
from app.core.debriefing.digest import digest_period
from app.core.events import DigestRequested
from app.core.handlers.digests import DigestAlreadyPosted, NoDigestChannel
from app.core.ports import DigestRunRepository, GuildConfigRepository, OutboxRepository

# A digest asked for "now" is pointless a day later: the bot gives up and marks it expired.
DIGEST_REQUEST_DEADLINE = timedelta(days=1)


async def request_digest_now(
    cmd: RequestDigestNow,
    *,
    emit: Emit,
    guild_configs: GuildConfigRepository,
    digest_runs: DigestRunRepository,
    clock: Clock,
) -> str:
    ensure_admin(cmd.actor, cmd.guild_id)
    config = await guild_configs.get(cmd.guild_id)
    if config.digest_channel_id is None:
        raise NoDigestChannel  # the bot could only fail it until it expired
    # Said now rather than "delivered" later: the bot would only find the week taken.
    week = digest_period(clock()).label
    if (claim := await digest_runs.claim_of(cmd.guild_id, week)) is not None:
        raise DigestAlreadyPosted(week, claim.claimed_at)
    requested_by = cmd.actor.user_id
    # Scoped to the caller and server, so nobody else's key can collide with theirs.
    key = cmd.idempotency_key or uuid.uuid4().hex
    dedupe_key = f"{PostDigestRequest.KIND}:{cmd.guild_id}:{requested_by}:{key}"
    emit(
        DigestRequested(
            request=PostDigestRequest(guild_id=cmd.guild_id, requested_by=requested_by),
            dedupe_key=dedupe_key,
            requested_at=clock(),
        )
    )
    return dedupe_key


async def queue_for_the_bot(
    event: DigestRequested, *, emit: Emit, outbox: OutboxRepository
) -> None:
    """Idempotent: the same dedupe key is queued once, however often it is asked."""
    await outbox.enqueue(
        event.request.outbox_message(
            dedupe_key=event.dedupe_key,
            now=event.requested_at,
            deadline=DIGEST_REQUEST_DEADLINE,
        )
    )
