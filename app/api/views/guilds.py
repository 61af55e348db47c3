"""A server's leaderboard."""

from __future__ import annotations

from app.api.schemas.guilds import Leaderboard, LeaderboardEntry, LeaderboardQuery
from app.core.clock import Clock
from app.core.ports import AnalyticsRepository


async def leaderboard(
    analytics: AnalyticsRepository, clock: Clock, guild_id: int, query: LeaderboardQuery
) -> Leaderboard:
    rows = await analytics.leaderboard(
        guild_id,
        query.stat,
        since=query.period.since(clock()),
        mode=query.mode,
        min_matches=query.min_matches,
        limit=query.limit,
    )
    return Leaderboard(
        guild_id=str(guild_id),
        stat=query.stat,
        label=query.stat.label,
        period=query.period,
        mode=query.mode or query.stat.mode,
        entries=[LeaderboardEntry.of(rank, row) for rank, row in enumerate(rows, start=1)],
    )
