"""A player's summary and trends.

The summary folds the player's matches page by page (the same indexed, cursor-paged reads as
the listing), so bests and averages cover exactly the filter asked for: server, mode, period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.api.schemas.common import Period
from app.api.schemas.stats import Average, Best, StatsSummary, TrendPoint, TrendSeries
from app.api.views.matches import every_match
from app.core.clock import Clock
from app.core.game.metrics import Stat, kd_ratio, stat_value, stats_for_mode
from app.core.game.rules import Mode, Result
from app.core.matches import Match, MatchFilter
from app.core.ports import AnalyticsRepository, MatchRepository
from app.shared.charts import rolling_mean

# The rolling average of a trend, as on the /trend chart.
ROLLING_WINDOW = 5


@dataclass
class _Mean:
    total: float = 0.0
    count: int = 0


@dataclass
class _Tally:
    stats: tuple[Stat, ...]
    matches: int = 0
    results: dict[Result, int] = field(default_factory=lambda: dict.fromkeys(Result, 0))
    kills: int = 0
    deaths: int = 0
    assists: int = 0
    means: dict[Stat, _Mean] = field(default_factory=dict)
    bests: dict[Stat, tuple[float, Match]] = field(default_factory=dict)

    def add(self, match: Match) -> None:
        player = match.stats.player
        self.matches += 1
        self.results[match.stats.result] += 1
        self.kills += player.kills
        self.deaths += player.deaths
        self.assists += player.assists
        for stat in self.stats:
            value = stat_value(match.stats, stat.value)
            if value is not None:  # a match without accuracy neither helps nor hurts it
                self._count(stat, value, match)

    def _count(self, stat: Stat, value: float, match: Match) -> None:
        mean = self.means.setdefault(stat, _Mean())
        mean.total += value
        mean.count += 1
        best = self.bests.get(stat)
        if best is None or _beats(stat, value, best[0]):
            self.bests[stat] = (value, match)


def _beats(stat: Stat, value: float, best: float) -> bool:
    return value > best if stat.higher_is_better else value < best


async def summarize(
    matches: MatchRepository,
    clock: Clock,
    *,
    user_id: int,
    guild_id: int | None,
    mode: Mode | None,
    period: Period,
) -> StatsSummary:
    where = MatchFilter(
        user_id=user_id, guild_id=guild_id, mode=mode, played_from=period.since(clock())
    )
    tally = _Tally(stats_for_mode(mode))
    async for match in every_match(matches, where):
        tally.add(match)
    return StatsSummary(
        user_id=str(user_id),
        guild_id=None if guild_id is None else str(guild_id),
        mode=mode,
        period=period,
        matches=tally.matches,
        wins=tally.results[Result.WIN],
        losses=tally.results[Result.LOSS],
        draws=tally.results[Result.DRAW],
        win_rate=tally.results[Result.WIN] / tally.matches if tally.matches else None,
        kills=tally.kills,
        deaths=tally.deaths,
        assists=tally.assists,
        kd=kd_ratio(tally.kills, tally.deaths) if tally.matches else None,
        averages=[
            Average(stat=s, label=s.label, value=m.total / m.count, matches=m.count)
            for s, m in tally.means.items()
        ],
        bests=[
            Best(stat=s, label=s.label, value=v, match_id=m.id, played_at=m.played_at)
            for s, (v, m) in tally.bests.items()
        ],
    )


async def trend(
    analytics: AnalyticsRepository,
    *,
    user_id: int,
    stat: Stat,
    guild_id: int | None,
    mode: Mode | None,
    last: int,
) -> TrendSeries:
    points = await analytics.series(user_id, stat, guild_id=guild_id, mode=mode, last=last)
    averages = rolling_mean([point.value for point in points], ROLLING_WINDOW)
    return TrendSeries(
        user_id=str(user_id),
        guild_id=None if guild_id is None else str(guild_id),
        mode=mode or stat.mode,
        stat=stat,
        label=stat.label,
        points=[
            TrendPoint(
                match_id=p.match_id, played_at=p.played_at, value=p.value, rolling_average=avg
            )
            for p, avg in zip(points, averages, strict=True)
        ],
    )
