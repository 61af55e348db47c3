"""Two squadmates compared, and a player's play session."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.api.schemas.common import Snowflake, SnowflakeString
from app.api.schemas.stats import StatsSummary, TrendPoint
from app.core.game.metrics import Stat
from app.core.game.rules import Mode, Result
from app.core.reads.compare import CompareRow, Comparison, Side, table
from app.core.reads.options import Period
from app.core.reads.sessions import Session
from app.core.reads.stats import Summary


class CompareSide(BaseModel):
    user_id: SnowflakeString
    summary: StatsSummary = Field(description="Their matches in the server (and mode).")
    stat_average: float | None = Field(description="Mean of the charted values.")
    stat_best: float | None
    points: list[TrendPoint] = Field(description="The stat over their last matches, oldest first.")

    @classmethod
    def of(cls, side: Side, comparison: Comparison) -> CompareSide:
        summary = Summary(
            side.user_id, comparison.guild_id, comparison.mode, Period.ALL, side.numbers
        )
        return cls(
            user_id=str(side.user_id),
            summary=StatsSummary.of(summary),
            stat_average=side.stat_average,
            stat_best=side.stat_best,
            points=[TrendPoint.of(point) for point in side.trend.points],
        )


class CompareLine(BaseModel):
    """A line of the side-by-side table, as /compare shows it in Discord."""

    label: str
    you: str
    them: str
    leader: Literal["you", "them"] | None = Field(description="Who is ahead; null on a tie.")

    @classmethod
    def of(cls, row: CompareRow) -> CompareLine:
        return cls(label=row.label, you=row.you, them=row.them, leader=row.leader)


class ComparePublic(BaseModel):
    guild_id: SnowflakeString
    stat: Stat
    label: str
    mode: Mode | None
    last: int
    you: CompareSide
    them: CompareSide
    table: list[CompareLine]

    @classmethod
    def of(cls, comparison: Comparison) -> ComparePublic:
        return cls(
            guild_id=str(comparison.guild_id),
            stat=comparison.stat,
            label=comparison.stat.label,
            mode=comparison.mode,
            last=comparison.last,
            you=CompareSide.of(comparison.you, comparison),
            them=CompareSide.of(comparison.them, comparison),
            table=[CompareLine.of(row) for row in table(comparison)],
        )


class CompareQuery(BaseModel):
    guild_id: Snowflake = Field(description="A server you are a member of.")
    player_id: Snowflake = Field(description="The squadmate: a player with matches there.")
    stat: Stat = Stat.KD
    mode: Mode | None = None
    last: int = Field(default=20, ge=2, le=100, description="How many matches to chart.")


class SessionMatch(BaseModel):
    match_id: str
    played_at: datetime
    mode: Mode
    map: str
    result: str
    kills: int
    deaths: int


class SessionPublic(BaseModel):
    user_id: SnowflakeString
    guild_id: SnowflakeString | None
    gap_minutes: int
    ongoing: bool = Field(description="The newest match is within the gap of now.")
    cut_short: bool = Field(
        description="The session may go on past what is counted: its newest 50 matches, of "
        "the last 7 days."
    )
    started_at: datetime | None
    ended_at: datetime | None
    matches: int
    wins: int
    losses: int
    draws: int
    kills: int
    deaths: int
    assists: int
    kd: float | None
    best_match: SessionMatch | None = Field(description="Best K/D, then most kills.")

    @classmethod
    def of(cls, session: Session) -> SessionPublic:
        best = session.best_match
        return cls(
            user_id=str(session.user_id),
            guild_id=None if session.guild_id is None else str(session.guild_id),
            gap_minutes=round(session.gap.total_seconds() / 60),
            ongoing=session.ongoing,
            cut_short=session.cut_short,
            started_at=session.started_at,
            ended_at=session.ended_at,
            matches=len(session.matches),
            wins=session.count(Result.WIN),
            losses=session.count(Result.LOSS),
            draws=session.count(Result.DRAW),
            kills=session.kills,
            deaths=session.deaths,
            assists=session.assists,
            kd=session.kd,
            best_match=None
            if best is None
            else SessionMatch(
                match_id=best.id,
                played_at=best.played_at,
                mode=best.stats.mode,
                map=best.stats.map,
                result=best.stats.result.value,
                kills=best.stats.player.kills,
                deaths=best.stats.player.deaths,
            ),
        )


class SessionQuery(BaseModel):
    guild_id: Snowflake | None = Field(default=None, description="Only matches in this server.")
    gap_minutes: int = Field(
        default=120, ge=30, le=720, description="A break longer than this starts a new session."
    )
