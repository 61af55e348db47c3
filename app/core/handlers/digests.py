"""The weekly digest of a server: once per ISO week, whoever asks and however often."""

from __future__ import annotations

import logging

from app.core.ai import DigestWriter
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import PostDigest
from app.core.debriefing.digest import IsoWeek, previous_week, template_digest, weekly_facts
from app.core.errors import AIUnavailable, Conflict, DomainError
from app.core.events import DigestPosted
from app.core.ports import (
    AnalyticsRepository,
    Announcer,
    DigestRunRepository,
    GuildConfigRepository,
)

logger = logging.getLogger(__name__)


class NoDigestChannel(DomainError):
    user_message = "Choose a channel for the weekly digest first, with /config digest."


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
    clock: Clock,
) -> str:
    config = await guild_configs.get(cmd.guild_id)
    if config.digest_channel_id is None:
        raise NoDigestChannel
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
        await announcer.post_digest(config.digest_channel_id, week.label, text, totals)
    except BaseException:
        # Not posted: give the week back so the next round tries again.
        await digest_runs.release(cmd.guild_id, week.label)
        raise
    emit(DigestPosted(guild_id=cmd.guild_id, week=week.label))
    return week.label
