"""A player's summary and trend, and a server's leaderboard: computed by the database (the
analytics repository), scoped here by the access rules, shaped for either adapter to format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.actors import Actor, ensure_member
from app.core.analytics import LeaderboardRow, PlayerSummary, rolling_mean
from app.core.clock import Clock
from app.core.debriefing.stat_scope import mode_for
from app.core.errors import Forbidden
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.ports import AnalyticsRepository
from app.core.reads.options import DEFAULT_LEADERBOARD_PERIOD, Period

# The rolling average of a trend: the /trend chart draws the same one.
ROLLING_WINDOW = 5
# A leaderboard ranks players with at least this many matches in its period, so a single lucky
# game cannot top it; both adapters default to it, and each board says what it used.
LEADERBOARD_MIN_MATCHES = 3


@dataclass(frozen=True, slots=True)
class Summary:
    user_id: int
    guild_id: int | None
    mode: Mode | None
    period: Period
    numbers: PlayerSummary


@dataclass(frozen=True, slots=True)
class TrendPoint:
    match_id: str
    played_at: datetime
    value: float
    rolling_average: float


@dataclass(frozen=True, slots=True)
class Trend:
    user_id: int
    guild_id: int | None
    mode: Mode | None  # the mode the stat implies when none was asked for (captures)
    stat: Stat
    points: tuple[TrendPoint, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class RankedRow:
    rank: int
    row: LeaderboardRow


@dataclass(frozen=True, slots=True)
class Leaderboard:
    guild_id: int
    stat: Stat
    period: Period
    mode: Mode | None
    min_matches: int
    entries: tuple[RankedRow, ...]


async def summary(
    analytics: AnalyticsRepository,
    clock: Clock,
    actor: Actor,
    *,
    guild_id: int | None = None,
    mode: Mode | None = None,
    period: Period = Period.ALL,
) -> Summary:
    """The actor's own numbers; another player's summary is no one else's business."""
    numbers = await analytics.summary(
        actor.user_id, guild_id=guild_id, mode=mode, since=period.since(clock())
    )
    return Summary(actor.user_id, guild_id, mode, period, numbers)


async def trend(
    analytics: AnalyticsRepository,
    actor: Actor,
    stat: Stat,
    *,
    last: int,
    user_id: int | None = None,
    guild_id: int | None = None,
    mode: Mode | None = None,
) -> Trend:
    """One stat over a player's last matches: the actor's own anywhere, or a squadmate's
    within a server the actor belongs to."""
    player = _whose(actor, user_id, guild_id)
    points = await analytics.series(player, stat, guild_id=guild_id, mode=mode, last=last)
    averages = rolling_mean([point.value for point in points], ROLLING_WINDOW)
    return Trend(
        user_id=player,
        guild_id=guild_id,
        mode=mode_for(stat, mode),
        stat=stat,
        points=tuple(
            TrendPoint(p.match_id, p.played_at, p.value, average)
            for p, average in zip(points, averages, strict=True)
        ),
    )


async def leaderboard(
    analytics: AnalyticsRepository,
    clock: Clock,
    actor: Actor,
    guild_id: int,
    stat: Stat,
    *,
    period: Period = DEFAULT_LEADERBOARD_PERIOD,
    mode: Mode | None = None,
    min_matches: int = LEADERBOARD_MIN_MATCHES,
    limit: int = 10,
) -> Leaderboard:
    """A server's players ranked by one stat; for its members only."""
    ensure_member(actor, guild_id)
    rows = await analytics.leaderboard(
        guild_id,
        stat,
        since=period.since(clock()),
        mode=mode,
        min_matches=min_matches,
        limit=limit,
    )
    return Leaderboard(
        guild_id=guild_id,
        stat=stat,
        period=period,
        mode=mode_for(stat, mode),
        min_matches=min_matches,
        entries=tuple(RankedRow(rank, row) for rank, row in enumerate(rows, start=1)),
    )


def _whose(actor: Actor, user_id: int | None, guild_id: int | None) -> int:
    if user_id is None or user_id == actor.user_id:
        return actor.user_id
    if guild_id is None:
        raise Forbidden("Name a server you share to see another player's numbers.")
    ensure_member(actor, guild_id)
    return user_id
