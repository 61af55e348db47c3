"""The weekly digest of a server: once per ISO week, whoever asks and however often."""

from __future__ import annotations

import logging

from app.core.ai import DigestWriter
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import PostDigest
from app.core.debriefing.digest import IsoWeek, previous_week, template_digest, weekly_facts
from app.core.errors import AIUnavailable, ChannelOutsideServer, Conflict, DomainError
from app.core.events import DigestChannelRefused
from app.core.guilds import GuildConfig
from app.core.ports import (
    AnalyticsRepository,
    Announcer,
    ChannelDirectory,
    DigestRunRepository,
    GuildConfigRepository,
)

logger = logging.getLogger(__name__)


class NoDigestChannel(DomainError):
    user_message = "Choose a channel for the weekly digest first, with /config digest."


class DigestChannelGone(DomainError):
    user_message = (
        "The digest's channel is no longer a channel of this server, so the digest is off. "
        "Choose a channel again with /config digest."
    )


class DigestAlreadyPosted(Conflict):
    def __init__(self, week: str) -> None:
        super().__init__(f"The digest of {week} was already posted.")


async def post_digest(
    cmd: PostDigest,
    *,
    emit: Emit,
    guild_configs: GuildConfigRepository,
    digest_runs: DigestRunRepository,
    analytics: AnalyticsRepository,
    digest_writer: DigestWriter,
    announcer: Announcer,
    channels: ChannelDirectory,
    clock: Clock,
) -> str:
    config = await guild_configs.get(cmd.guild_id)
    if config.digest_channel_id is None:
        raise NoDigestChannel
    if await channels.guild_of(config.digest_channel_id) != cmd.guild_id:
        await _turn_off(guild_configs, config, emit, clock)
        raise DigestChannelGone
    now = clock()
    week = IsoWeek.parse(cmd.week) if cmd.week else previous_week(now)
    # The claim is the once-per-week rule: shards, restarts and the API's "post now" race
    # for it, and exactly one wins.
    if not await digest_runs.claim(cmd.guild_id, week.label, now):
        raise DigestAlreadyPosted(week.label)
    try:
        totals = await analytics.week_totals(cmd.guild_id, week.since, week.until)
        try:
            text = await digest_writer.write_digest(weekly_facts(totals, week=week))
        except AIUnavailable:
            text = template_digest(totals, week=week)
        await announcer.post_digest(
            cmd.guild_id, config.digest_channel_id, week.label, text, totals
        )
    except BaseException as error:
        # Not posted: give the week back so the next round tries again.
        await digest_runs.release(cmd.guild_id, week.label)
        if isinstance(error, ChannelOutsideServer):  # it left the server a moment ago
            await _turn_off(guild_configs, config, emit, clock)
            raise DigestChannelGone from None
        raise
    return week.label


async def _turn_off(
    guild_configs: GuildConfigRepository, config: GuildConfig, emit: Emit, clock: Clock
) -> None:
    """The channel left the server (deleted, or never its own): retrying every round would
    only fail again, so the digest stops until an admin chooses a channel."""
    channel_id = config.digest_channel_id or 0
    logger.warning(
        "refused to post the digest of guild %s into channel %s: not a channel of that server",
        config.guild_id,
        channel_id,
    )
    off = config.model_copy(
        update={
            "digest_channel_id": None,
            "digest_problem": DigestChannelGone.user_message,
            "updated_at": clock(),
        }
    )
    await guild_configs.save(off)
    emit(
        DigestChannelRefused(
            guild_id=config.guild_id, channel_id=channel_id, admin_id=config.updated_by
        )
    )


async def tell_admin_digest_is_off(
    event: DigestChannelRefused, *, emit: Emit, announcer: Announcer
) -> None:
    if event.admin_id is not None:
        await announcer.tell_admin(
            event.guild_id,
            event.admin_id,
            f"{DigestChannelGone.user_message} (The channel was <#{event.channel_id}>.)",
        )
