"""A player's numbers: a summary over a period, and one stat's trend."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.api.schemas.common import Period, Snowflake, SnowflakeString
from app.core.game.metrics import Stat
from app.core.game.rules import Mode


class Best(BaseModel):
    """The best value of a stat (the lowest for deaths), and the match it came from."""

    stat: Stat
    label: str
    value: float
    match_id: str
    played_at: datetime


class Average(BaseModel):
    stat: Stat
    label: str
    value: float
    matches: int = Field(description="Matches that show the stat (not every one has accuracy).")


class StatsSummary(BaseModel):
    user_id: SnowflakeString
    guild_id: SnowflakeString | None
    mode: Mode | None
    period: Period
    matches: int
    wins: int
    losses: int
    draws: int
    win_rate: float | None = Field(description="Wins per match, 0-1; null without matches.")
    kills: int
    deaths: int
    assists: int
    kd: float | None = Field(description="Total kills per total death; null without matches.")
    averages: list[Average]
    bests: list[Best]


class TrendPoint(BaseModel):
    match_id: str
    played_at: datetime
    value: float
    rolling_average: float = Field(description="Mean of this value and up to 4 before it.")


class TrendSeries(BaseModel):
    user_id: SnowflakeString
    guild_id: SnowflakeString | None
    mode: Mode | None
    stat: Stat
    label: str
    points: list[TrendPoint] = Field(description="Oldest first.")


class SummaryQuery(BaseModel):
    guild_id: Snowflake | None = Field(default=None, description="Only matches in this server.")
    mode: Mode | None = None
    period: Period = Period.ALL


class TrendQuery(BaseModel):
    stat: Stat
    last: int = Field(default=20, ge=2, le=100, description="How many of your last matches.")
    guild_id: Snowflake | None = Field(default=None, description="Only matches in this server.")
    mode: Mode | None = None
