"""The weekly digest of a server: once per ISO week, whoever asks and however often.

    PostDigest ─▶ post_digest: channel still the server's? claim the week, write the text
        (a "post now" request that finds the week taken by another ─▶ DigestTakenByAnother)
        ─▶ DigestWritten ─▶ send_digest: queue the post (one per server and week), post it now
    the post failed, or this process died ─▶ ReplayDigest (outbox consumer, with backoff)
    the channel left the server ─▶ digest off ─▶ DigestChannelRefused
        ─▶ tell_admin_digest_is_off: queue the admin's notice, send it now (ReplayAdminNotice)

The live post and the replay go through the same `post_into_channel` and `Announcer`, so a
digest reads and is checked the same whichever process posts it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from app.core.ai import DigestWriter
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import PostDigest, ReplayAdminNotice, ReplayDigest
from app.core.debriefing.digest import (
    IsoWeek,
    digest_period,
    scheduled_period,
    template_digest,
    weekly_facts,
)
from app.core.deliveries import AdminNotice, HandedOver, WeeklyDigest, digest_key
from app.core.digest_claims import DigestTakenByAnother, utc_minute
from app.core.errors import AIUnavailable, ChannelOutsideServer, Conflict, DomainError
from app.core.events import DigestChannelRefused, DigestWritten
from app.core.guilds import GuildConfig
from app.core.handlers.deliveries import send_now
from app.core.i18n import N_, _, speaking
from app.core.outbox import ADMIN_NOTICE_KIND
from app.core.ports import (
    AnalyticsRepository,
    Announcer,
    ChannelDirectory,
    DigestRunRepository,
    GuildConfigRepository,
    GuildLanguages,
    OutboxRepository,
)

logger = logging.getLogger(__name__)


class NoDigestChannel(DomainError):
    user_message = N_("Choose a channel for the weekly digest first, with /config digest.")


class DigestAlreadyPosted(Conflict):
    def __init__(self, week: str, taken_at: datetime) -> None:
        super().__init__(
            _(
                "This week's digest ({week}) was already posted, or is being posted (taken on "
                "at {taken_at}): one digest a week. The next one covers the seven days up to its "
                "post.",
                week=week,
                taken_at=utc_minute(taken_at),
            )
        )


class DigestChannelGone(DomainError):
    user_message = N_(
        "The digest's channel is no longer a channel of this server, so the digest is off. "
        "Choose a channel again with /config digest."
    )


async def post_digest(
    cmd: PostDigest,
    *,
    emit: Emit,
    guild_configs: GuildConfigRepository,
    digest_runs: DigestRunRepository,
    analytics: AnalyticsRepository,
    digest_writer: DigestWriter,
    channels: ChannelDirectory,
    outbox: OutboxRepository,
    guild_languages: GuildLanguages,
    clock: Clock,
) -> HandedOver:
    config = await guild_configs.get(cmd.guild_id)
    if config.digest_channel_id is None:
        raise NoDigestChannel
    if await channels.guild_of(config.digest_channel_id) != cmd.guild_id:
        await _turn_off(guild_configs, config, emit, clock)
        raise DigestChannelGone
    now = clock()
    week = period_of(cmd, now)
    # Whoever asked learns from the week's digest entry whether it was posted.
    handed_over = HandedOver(dedupe_key=digest_key(cmd.guild_id, week.label))
    # The claim is the once-per-week rule: shards, restarts and the API's "post now" race
    # for it, and exactly one writes the digest; the others follow what it queued, or, for a
    # request that lost to someone else, are told which digest stands.
    if not await digest_runs.claim(cmd.guild_id, week.label, now, request_key=cmd.request_key):
        await _unless_taken_by_another(cmd, week.label, digest_runs=digest_runs, outbox=outbox)
        return handed_over
    try:
        totals = await analytics.week_totals(cmd.guild_id, week.since, week.until)
        # In the server's language (its setting, else Discord's), whoever asked: the schedule,
        # or "post now" from the dashboard, replayed by the outbox consumer in no language.
        with speaking(await guild_languages.of_guild(cmd.guild_id)):
            try:
                text = await digest_writer.write_digest(weekly_facts(totals, week=week))
            except AIUnavailable:
                text = template_digest(totals, week=week)
    except BaseException:
        # Nothing written: give the week back so the next round tries again.
        await digest_runs.release(cmd.guild_id, week.label)
        raise
    emit(
        DigestWritten(
            digest=WeeklyDigest(
                guild_id=cmd.guild_id,
                channel_id=config.digest_channel_id,
                week=week.label,
                text=text,
                totals=totals,
            )
        )
    )
    return handed_over


async def _unless_taken_by_another(
    cmd: PostDigest, week: str, *, digest_runs: DigestRunRepository, outbox: OutboxRepository
) -> None:
    """Raise `DigestTakenByAnother` for a request whose week someone else took on. The schedule
    (told nobody), and a request retried after its own claim, follow the week's digest."""
    if cmd.request_key is None:
        return
    claim = await digest_runs.claim_of(cmd.guild_id, week)
    # None: given back since (its writer failed); following finds nothing queued, so the
    # request is retried and claims the week itself.
    if claim is None or claim.request_key == cmd.request_key:
        return
    raise DigestTakenByAnother(week, claim, await outbox.find(digest_key(cmd.guild_id, week)))


def period_of(cmd: PostDigest, now: datetime) -> IsoWeek:
    """The named ISO week; else the seven days up to the scheduled hour, or up to now when an
    admin asked for the digest now."""
    if cmd.week:
        return IsoWeek.parse(cmd.week)
    return scheduled_period(now) if cmd.requested_by is None else digest_period(now)


async def send_digest(
    event: DigestWritten,
    *,
    emit: Emit,
    outbox: OutboxRepository,
    digest_runs: DigestRunRepository,
    guild_configs: GuildConfigRepository,
    announcer: Announcer,
    clock: Clock,
) -> None:
    """Queue the week's digest, leased to this process, and post it now."""
    digest = event.digest
    try:
        message = await outbox.enqueue(digest.outbox_message(clock()))
    except BaseException:
        # Not queued, so nobody would ever post it: give the week back for the next round.
        await digest_runs.release(digest.guild_id, digest.week)
        raise

    async def post() -> None:
        await post_into_channel(
            digest, emit=emit, announcer=announcer, guild_configs=guild_configs, clock=clock
        )

    await send_now(message, post, outbox=outbox, clock=clock)


async def replay_digest(
    cmd: ReplayDigest,
    *,
    emit: Emit,
    announcer: Announcer,
    guild_configs: GuildConfigRepository,
    clock: Clock,
) -> None:
    """A digest the outbox consumer claimed; the consumer records the outcome."""
    await post_into_channel(
        cmd.digest, emit=emit, announcer=announcer, guild_configs=guild_configs, clock=clock
    )


async def post_into_channel(
    digest: WeeklyDigest,
    *,
    emit: Emit,
    announcer: Announcer,
    guild_configs: GuildConfigRepository,
    clock: Clock,
) -> None:
    """Post through the announcer, which checks with Discord that the channel is still the
    server's. If it is not, the digest is turned off and DigestChannelGone raised: final."""
    try:
        await announcer.post_digest(
            digest.guild_id, digest.channel_id, digest.week, digest.text, digest.totals
        )
    except ChannelOutsideServer:
        config = await guild_configs.get(digest.guild_id)
        if config.digest_channel_id != digest.channel_id:
            raise  # an admin chose another channel since: that one is not in question
        await _turn_off(guild_configs, config, emit, clock)
        raise DigestChannelGone from None


async def _turn_off(
    guild_configs: GuildConfigRepository, config: GuildConfig, emit: Emit, clock: Clock
) -> None:
    """The channel left the server (deleted, or never its own): retrying every round would
    only fail again, so the digest stops until an admin chooses a channel."""
    guild_id, channel_id = config.guild_id, config.digest_channel_id or 0
    logger.warning(
        "refused to post the digest of guild %s into channel %s: not a channel of that server",
        guild_id,
        channel_id,
    )
    now = clock()
    off = config.model_copy(
        update={
            "digest_channel_id": None,
            "digest_problem": DigestChannelGone.user_message,
            "updated_at": now,
        }
    )
    await guild_configs.save(off)
    emit(
        DigestChannelRefused(
            guild_id=guild_id,
            channel_id=channel_id,
            admin_id=config.updated_by,
            turned_off_at=now,
        )
    )


async def tell_admin_digest_is_off(
    event: DigestChannelRefused,
    *,
    emit: Emit,
    outbox: OutboxRepository,
    announcer: Announcer,
    guild_languages: GuildLanguages,
    clock: Clock,
) -> None:
    """Queue the admin's notice, leased to this process, and send it now."""
    if event.admin_id is None:
        return
    # Written now, in the server's language (whoever asked for the digest); the outbox keeps
    # it as written for a replay.
    with speaking(await guild_languages.of_guild(event.guild_id)):
        text = _(
            "{problem} (The channel was {channel}.)",
            problem=_(DigestChannelGone.user_message),
            channel=f"<#{event.channel_id}>",
        )
    notice = AdminNotice(guild_id=event.guild_id, user_id=event.admin_id, text=text)
    # One notice per time the digest was turned off, however often this event is handled.
    key = (
        f"{ADMIN_NOTICE_KIND}:{event.guild_id}:{event.channel_id}:{event.turned_off_at.isoformat()}"
    )
    message = await outbox.enqueue(notice.outbox_message(dedupe_key=key, now=clock()))

    async def tell() -> None:
        await send_notice(notice, announcer)

    await send_now(message, tell, outbox=outbox, clock=clock)


async def replay_admin_notice(cmd: ReplayAdminNotice, *, emit: Emit, announcer: Announcer) -> None:
    """A notice the outbox consumer claimed; the consumer records the outcome."""
    await send_notice(cmd.notice, announcer)


async def send_notice(notice: AdminNotice, announcer: Announcer) -> None:
    await announcer.tell_admin(notice.guild_id, notice.user_id, notice.text)
