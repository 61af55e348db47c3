"""A server's digest for its members: the running week's numbers, and last week's digest as
it was written.

The posted digest is written once, after the week ends (`handlers/digests.py`), and stays on
record in its outbox entry (one per server and week); the running week's facts come from the
same aggregation, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pydantic import ValidationError

from app.core.actors import Actor, ensure_member
from app.core.analytics import WeekTotals
from app.core.clock import Clock
from app.core.debriefing.digest import IsoWeek
from app.core.deliveries import WeeklyDigest, digest_key
from app.core.outbox import OutboxStatus
from app.core.ports import AnalyticsRepository, OutboxRepository


@dataclass(frozen=True, slots=True)
class WeekSoFar:
    guild_id: int
    week: IsoWeek
    totals: WeekTotals


@dataclass(frozen=True, slots=True)
class WrittenDigest:
    digest: WeeklyDigest
    posted: bool


async def week_so_far(
    analytics: AnalyticsRepository, clock: Clock, actor: Actor, guild_id: int
) -> WeekSoFar:
    """The running ISO week's totals of a server; to a non-member, the server was not found."""
    ensure_member(actor, guild_id)
    week = IsoWeek.containing(clock())
    totals = await analytics.week_totals(guild_id, week.since, week.until)
    return WeekSoFar(guild_id, week, totals)


async def latest_digest(
    outbox: OutboxRepository, clock: Clock, actor: Actor, guild_id: int
) -> WrittenDigest | None:
    """The newest digest written, if any; for members only.

    A digest is named by the ISO week of its period's last moment, and its period ends at the
    server's scheduled hour (`digest_period`), so a Friday-evening digest is this week's:
    this week's is looked up first, then last week's."""
    ensure_member(actor, guild_id)
    now = clock()
    for moment in (now, now - timedelta(weeks=1)):
        entry = await outbox.find(digest_key(guild_id, IsoWeek.containing(moment).label))
        if entry is not None:
            break
    else:
        return None
    try:
        digest = WeeklyDigest.model_validate(entry.payload)
    except ValidationError:
        return None  # not a digest in this shape: nothing to show rather than a broken page
    return WrittenDigest(digest, posted=entry.status is OutboxStatus.DELIVERED)
