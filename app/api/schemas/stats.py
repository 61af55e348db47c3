"""A player's numbers: a summary over a period, and one stat's trend."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.api.schemas.common import Snowflake, SnowflakeString
from app.core.analytics import StatAverage, StatBest
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.reads.options import Period
from app.core.reads.stats import Summary, Trend
from app.core.reads.stats import TrendPoint as CoreTrendPoint


class Best(BaseModel):
    """The best value of a stat (the lowest for deaths), and the match it came from."""

    stat: Stat
    label: str
    value: float
    match_id: str
    played_at: datetime

    @classmethod
    def of(cls, best: StatBest) -> Best:
        return cls(
            stat=best.stat,
            label=best.stat.label,
            value=best.value,
            match_id=best.match_id,
            played_at=best.played_at,
        )


class Average(BaseModel):
    stat: Stat
    label: str
    value: float
    matches: int = Field(description="Matches that show the stat (not every one has accuracy).")

    @classmethod
    def of(cls, average: StatAverage) -> Average:
        return cls(
            stat=average.stat,
            label=average.stat.label,
            value=average.value,
            matches=average.matches,
        )


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

    @classmethod
    def of(cls, summary: Summary) -> StatsSummary:
        numbers = summary.numbers
        return cls(
            user_id=str(summary.user_id),
            guild_id=_text(summary.guild_id),
            mode=summary.mode,
            period=summary.period,
            matches=numbers.matches,
            wins=numbers.wins,
            losses=numbers.losses,
            draws=numbers.draws,
            win_rate=numbers.win_rate,
            kills=numbers.kills,
            deaths=numbers.deaths,
            assists=numbers.assists,
            kd=numbers.kd,
            averages=[Average.of(average) for average in numbers.averages],
            bests=[Best.of(best) for best in numbers.bests],
        )


class TrendPoint(BaseModel):
    match_id: str
    played_at: datetime
    value: float
    rolling_average: float = Field(description="Mean of this value and up to 4 before it.")

    @classmethod
    def of(cls, point: CoreTrendPoint) -> TrendPoint:
        return cls(
            match_id=point.match_id,
            played_at=point.played_at,
            value=point.value,
            rolling_average=point.rolling_average,
        )


class TrendSeries(BaseModel):
    user_id: SnowflakeString
    guild_id: SnowflakeString | None
    mode: Mode | None
    stat: Stat
    label: str
    points: list[TrendPoint] = Field(description="Oldest first.")

    @classmethod
    def of(cls, trend: Trend) -> TrendSeries:
        return cls(
            user_id=str(trend.user_id),
            guild_id=_text(trend.guild_id),
            mode=trend.mode,
            stat=trend.stat,
            label=trend.stat.label,
            points=[TrendPoint.of(point) for point in trend.points],
        )


class SummaryQuery(BaseModel):
    guild_id: Snowflake | None = Field(default=None, description="Only matches in this server.")
    mode: Mode | None = None
    period: Period = Period.ALL


class TrendQuery(BaseModel):
    stat: Stat
    last: int = Field(default=20, ge=2, le=100, description="How many of your last matches.")
    guild_id: Snowflake | None = Field(default=None, description="Only matches in this server.")
    mode: Mode | None = None


def _text(snowflake: int | None) -> str | None:
    return None if snowflake is None else str(snowflake)
