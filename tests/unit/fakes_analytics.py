"""In-memory analytics, cooldowns and digest runs, for unit tests.

`FakeAnalytics` computes in plain Python over a `FakeMatches`, with `stat_value` itself, so
the integration tests also use it as the independent reference for the aggregation pipelines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from statistics import fmean

from app.core.analytics import (
    CareerTotals,
    LeaderboardRow,
    PlayerSummary,
    SeriesPoint,
    StatAverage,
    StatBest,
    WeekTotals,
)
from app.core.debriefing.stat_scope import mode_for
from app.core.digest_claims import DigestClaim
from app.core.game.metrics import Stat, stat_value, stats_for_mode
from app.core.game.rules import Mode, Result
from app.core.matches import Match
from app.core.ports import AnalyticsRepository, CooldownRepository, DigestRunRepository
from tests.unit.fakes import FakeMatches

TOP_PLAYERS = 3


class FakeAnalytics(AnalyticsRepository):
    def __init__(self, matches: FakeMatches) -> None:
        self._matches = matches

    def _where(self, *checks: Callable[[Match], bool]) -> list[Match]:
        return [m for m in self._matches.rows.values() if all(check(m) for check in checks)]

    async def leaderboard(
        self,
        guild_id: int,
        stat: Stat,
        *,
        since: datetime | None,
        mode: Mode | None,
        min_matches: int,
        limit: int,
    ) -> list[LeaderboardRow]:
        scope = mode_for(stat, mode)
        scoped = self._where(
            lambda m: m.guild_id == guild_id,
            lambda m: scope is None or m.stats.mode is scope,
            lambda m: since is None or m.played_at >= since,
        )
        rows = [
            row
            for user_id, played in _by_player(scoped).items()
            if (row := player_row(user_id, stat, played)) and row.matches >= min_matches
        ]
        return rank(rows, stat)[:limit]

    async def series(
        self, user_id: int, stat: Stat, *, guild_id: int | None, mode: Mode | None, last: int
    ) -> list[SeriesPoint]:
        scope = mode_for(stat, mode)
        scoped = self._where(
            lambda m: m.user_id == user_id,
            lambda m: guild_id is None or m.guild_id == guild_id,
            lambda m: scope is None or m.stats.mode is scope,
        )
        newest = sorted(scoped, key=lambda m: (m.played_at, m.id), reverse=True)[:last]
        return [
            SeriesPoint(match_id=m.id, played_at=m.played_at, value=value)
            for m in reversed(newest)
            if (value := stat_value(m.stats, stat)) is not None
        ]

    async def summary(
        self, user_id: int, *, guild_id: int | None, mode: Mode | None, since: datetime | None
    ) -> PlayerSummary:
        played = self._where(
            lambda m: m.user_id == user_id,
            lambda m: guild_id is None or m.guild_id == guild_id,
            lambda m: mode is None or m.stats.mode is mode,
            lambda m: since is None or m.played_at >= since,
        )
        # Newest first, so that of two equal bests the newer one is kept.
        played.sort(key=lambda m: (m.played_at, m.id), reverse=True)
        averages, bests = [], []
        for stat in stats_for_mode(mode):
            shown = [(v, m) for m in played if (v := stat_value(m.stats, stat)) is not None]
            if not shown:
                continue
            averages.append(
                StatAverage(stat=stat, value=fmean(v for v, _ in shown), matches=len(shown))
            )
            pick = max if stat.higher_is_better else min
            value, match = pick(shown, key=lambda pair: pair[0])  # the first of equals
            bests.append(
                StatBest(stat=stat, value=value, match_id=match.id, played_at=match.played_at)
            )
        return PlayerSummary(
            matches=len(played),
            wins=sum(m.stats.result is Result.WIN for m in played),
            losses=sum(m.stats.result is Result.LOSS for m in played),
            draws=sum(m.stats.result is Result.DRAW for m in played),
            kills=sum(m.stats.player.kills for m in played),
            deaths=sum(m.stats.player.deaths for m in played),
            assists=sum(m.stats.player.assists for m in played),
            averages=tuple(averages),
            bests=tuple(bests),
        )

    async def personal_bests(
        self, user_id: int, mode: Mode, *, excluding_match_id: str | None = None
    ) -> Mapping[Stat, float]:
        played = self._where(
            lambda m: m.user_id == user_id,
            lambda m: m.stats.mode is mode,
            lambda m: m.id != excluding_match_id,
        )
        bests: dict[Stat, float] = {}
        for stat in stats_for_mode(mode):
            values = [v for m in played if (v := stat_value(m.stats, stat)) is not None]
            if values:
                bests[stat] = max(values) if stat.higher_is_better else min(values)
        return bests

    async def career_totals(self, user_id: int, guild_id: int) -> CareerTotals:
        played = self._where(lambda m: m.user_id == user_id, lambda m: m.guild_id == guild_id)
        return CareerTotals(
            matches=len(played),
            wins=sum(m.stats.result is Result.WIN for m in played),
            kills=sum(m.stats.player.kills for m in played),
        )

    async def week_totals(self, guild_id: int, since: datetime, until: datetime) -> WeekTotals:
        played = self._where(
            lambda m: m.guild_id == guild_id, lambda m: since <= m.played_at < until
        )
        players = _by_player(played)
        top = [row for user_id, ms in players.items() if (row := player_row(user_id, Stat.KD, ms))]
        return WeekTotals(
            matches=len(played),
            players=len(players),
            wins=sum(m.stats.result is Result.WIN for m in played),
            losses=sum(m.stats.result is Result.LOSS for m in played),
            kills=sum(m.stats.player.kills for m in played),
            deaths=sum(m.stats.player.deaths for m in played),
            top_players=rank(top, Stat.KD)[:TOP_PLAYERS],
        )


def player_row(user_id: int, stat: Stat, played: list[Match]) -> LeaderboardRow | None:
    """A player's leaderboard value: pooled K/D, or the mean over matches that show the stat."""
    if stat is Stat.KD:
        kills = sum(m.stats.player.kills for m in played)
        deaths = sum(m.stats.player.deaths for m in played)
        return LeaderboardRow(user_id=user_id, value=kills / max(deaths, 1), matches=len(played))
    values = [v for m in played if (v := stat_value(m.stats, stat)) is not None]
    if not values:
        return None
    return LeaderboardRow(user_id=user_id, value=fmean(values), matches=len(values))


def rank(rows: Iterable[LeaderboardRow], stat: Stat) -> list[LeaderboardRow]:
    sign = -1 if stat.higher_is_better else 1
    return sorted(rows, key=lambda r: (sign * r.value, -r.matches, r.user_id))


def _by_player(matches: Iterable[Match]) -> dict[int, list[Match]]:
    players: dict[int, list[Match]] = defaultdict(list)
    for m in matches:
        players[m.user_id].append(m)
    return players


class FakeCooldowns(CooldownRepository):
    def __init__(self) -> None:
        self.expiries: dict[str, datetime] = {}

    async def start(self, key: str, now: datetime, duration: timedelta) -> timedelta | None:
        running = self.expiries.get(key)
        if running is not None and running > now:
            return running - now
        self.expiries[key] = now + duration
        return None

    async def give_back(self, key: str, started: datetime, duration: timedelta) -> None:
        if self.expiries.get(key) == started + duration:
            del self.expiries[key]


class FakeDigestRuns(DigestRunRepository):
    def __init__(self) -> None:
        self.claims: dict[tuple[int, str], DigestClaim] = {}

    async def claim(
        self, guild_id: int, week: str, now: datetime, *, request_key: str | None = None
    ) -> bool:
        if (guild_id, week) in self.claims:
            return False
        self.claims[guild_id, week] = DigestClaim(claimed_at=now, request_key=request_key)
        return True

    async def release(self, guild_id: int, week: str) -> None:
        self.claims.pop((guild_id, week), None)

    async def claim_of(self, guild_id: int, week: str) -> DigestClaim | None:
        return self.claims.get((guild_id, week))
