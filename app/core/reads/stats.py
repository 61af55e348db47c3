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
from app.core.i18n import _
from app.core.ports import AnalyticsRepository, SeasonRepository
from app.core.reads.options import DEFAULT_LEADERBOARD_PERIOD, Period
from app.core.seasons import Season

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
    # The server's current season, for a board of the season period; None: never started one.
    season: Season | None = None

    @property
    def period_name(self) -> str:
        """The period in this request's language: the season by its name; in a server that
        never started one, the season is all time, and says so."""
        if self.period is not Period.SEASON:
            return _(self.period.label)
        return _("Season {name}", name=self.season.name) if self.season else _(Period.ALL.label)


async def summary(
    analytics: AnalyticsRepository,
    clock: Clock,
    actor: Actor,
    *,
    guild_id: int | None = None,
    mode: Mode | None = None,
    period: Period = Period.ALL,
    seasons: SeasonRepository | None = None,
) -> Summary:
    """The actor's own numbers; another player's summary is no one else's business.

    The season period is that server's current season (with `seasons`, in a server the actor
    is in); without a server, or in one that never started a season, all time."""
    season_start = None
    if period is Period.SEASON and seasons and guild_id and actor.is_member_of(guild_id):
        season = await seasons.current(guild_id)
        season_start = season.started_at if season else None
    numbers = await analytics.summary(
        actor.user_id, guild_id=guild_id, mode=mode, since=period.since(clock(), season_start)
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
    seasons: SeasonRepository,
    period: Period = DEFAULT_LEADERBOARD_PERIOD,
    mode: Mode | None = None,
    min_matches: int = LEADERBOARD_MIN_MATCHES,
    limit: int = 10,
) -> Leaderboard:
    """A server's players ranked by one stat; for its members only."""
    ensure_member(actor, guild_id)
    season = await seasons.current(guild_id) if period is Period.SEASON else None
    rows = await analytics.leaderboard(
        guild_id,
        stat,
        since=period.since(clock(), season.started_at if season else None),
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
        season=season,
    )


def _whose(actor: Actor, user_id: int | None, guild_id: int | None) -> int:
    if user_id is None or user_id == actor.user_id:
        return actor.user_id
    if guild_id is None:
        raise Forbidden(_("Name a server you share to see another player's numbers."))
    ensure_member(actor, guild_id)
    return user_id
