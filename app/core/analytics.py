"""Read models for leaderboards, trends, comparisons and the weekly digest."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


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
