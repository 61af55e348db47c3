"""Read models for leaderboards, trends, comparisons and the weekly digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from statistics import fmean

from pydantic import BaseModel, ConfigDict

from app.core.game.metrics import Stat, kd_ratio


class LeaderboardRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: int
    value: float
    matches: int


class SeriesPoint(BaseModel):
    """One match's value of a stat, for /trend."""

    model_config = ConfigDict(frozen=True)

    match_id: str
    played_at: datetime
    value: float


class WeekTotals(BaseModel):
    """A server's week, computed by the database; the digest's facts."""

    model_config = ConfigDict(frozen=True)

    matches: int
    players: int
    wins: int
    losses: int
    kills: int
    deaths: int
    top_players: list[LeaderboardRow]


class StatAverage(BaseModel):
    """A stat's mean over the matches that show it (not every match shows accuracy)."""

    model_config = ConfigDict(frozen=True)

    stat: Stat
    value: float
    matches: int


class StatBest(BaseModel):
    """A stat's best value (the lowest for deaths) and the newest match that reached it."""

    model_config = ConfigDict(frozen=True)

    stat: Stat
    value: float
    match_id: str
    played_at: datetime


class PlayerSummary(BaseModel):
    """A player's matches in one scope, computed by the database: results, totals, pooled
    K/D, and each stat's average and best. Averages and bests follow `stats_for_mode`."""

    model_config = ConfigDict(frozen=True)

    matches: int
    wins: int
    losses: int
    draws: int
    kills: int
    deaths: int
    assists: int
    averages: tuple[StatAverage, ...]
    bests: tuple[StatBest, ...]

    @property
    def win_rate(self) -> float | None:
        return self.wins / self.matches if self.matches else None

    @property
    def kd(self) -> float | None:
        """Total kills per total death, like every other K/D; None without matches."""
        return kd_ratio(self.kills, self.deaths) if self.matches else None


class CareerTotals(BaseModel):
    """Everything a player has logged in one server, in every mode: what that server's
    milestones count (docs/decisions/0007)."""

    model_config = ConfigDict(frozen=True)

    matches: int
    wins: int
    kills: int


def rolling_mean(values: Sequence[float], window: int) -> list[float]:
    """The mean of each value and up to ``window - 1`` before it.

    The first values average what there is, so a player with three matches still sees a
    line, and the line never jumps into existence halfway.
    """
    return [fmean(values[max(0, i + 1 - window) : i + 1]) for i in range(len(values))]
