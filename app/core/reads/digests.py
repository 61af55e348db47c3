"""A server's week so far: the digest's numbers, for its members, before the digest is posted.

The posted digest is written once, after the week ends (`handlers/digests.py`); the web
dashboard shows the same facts for the running week, from the same aggregation.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.actors import Actor, ensure_member
from app.core.analytics import WeekTotals
from app.core.clock import Clock
from app.core.debriefing.digest import IsoWeek
from app.core.ports import AnalyticsRepository


@dataclass(frozen=True, slots=True)
class WeekSoFar:
    guild_id: int
    week: IsoWeek
    totals: WeekTotals


async def week_so_far(
    analytics: AnalyticsRepository, clock: Clock, actor: Actor, guild_id: int
) -> WeekSoFar:
    """The running ISO week's totals of a server; to a non-member, the server was not found."""
    ensure_member(actor, guild_id)
    week = IsoWeek.containing(clock())
    totals = await analytics.week_totals(guild_id, week.since, week.until)
    return WeekSoFar(guild_id, week, totals)
