"""A server on the wire: its leaderboard and its settings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from app.api.schemas.common import SnowflakeInput, SnowflakeString
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.guilds import AskScope, GuildConfig
from app.core.i18n import Language
from app.core.reads.options import DEFAULT_LEADERBOARD_PERIOD, Period
from app.core.reads.stats import LEADERBOARD_MIN_MATCHES, RankedRow
from app.core.reads.stats import Leaderboard as CoreLeaderboard


class LeaderboardEntry(BaseModel):
    rank: int
    user_id: SnowflakeString
    value: float
    matches: int

    @classmethod
    def of(cls, ranked: RankedRow) -> LeaderboardEntry:
        row = ranked.row
        return cls(rank=ranked.rank, user_id=str(row.user_id), value=row.value, matches=row.matches)


class Leaderboard(BaseModel):
    guild_id: SnowflakeString
    stat: Stat
    label: str
    period: Period
    mode: Mode | None
    min_matches: int = Field(description="Players with fewer matches in the period are left out.")
    season: str | None = Field(
        default=None,
        description="The current season's name when period is season; null: the server never "
        "started one, so the season period is all time.",
    )
    entries: list[LeaderboardEntry]

    @classmethod
    def of(cls, board: CoreLeaderboard) -> Leaderboard:
        return cls(
            guild_id=str(board.guild_id),
            stat=board.stat,
            label=board.stat.label,
            period=board.period,
            mode=board.mode,
            min_matches=board.min_matches,
            season=board.season.name if board.season else None,
            entries=[LeaderboardEntry.of(ranked) for ranked in board.entries],
        )


class GuildConfigPublic(BaseModel):
    guild_id: SnowflakeString
    digest_channel_id: SnowflakeString | None
    digest_problem: str | None = Field(
        description="Why Debrief turned the digest off itself (its channel left the server)."
    )
    digest_weekday: int = Field(description="ISO weekday of the weekly digest, 1 = Monday.")
    digest_hour_utc: int
    ask_scope: AskScope
    debrief_cooldown_s: int
    ask_cooldown_s: int
    announce_bests: bool = Field(
        description="Whether new personal bests and milestones are posted in the digest's channel."
    )
    language: Language | None = Field(
        description="The language of Debrief's replies in this server; null: the server's own "
        "language in Discord (English when Debrief does not speak it)."
    )
    updated_at: datetime | None
    updated_by: SnowflakeString | None

    @classmethod
    def of(cls, config: GuildConfig) -> GuildConfigPublic:
        return cls(
            guild_id=str(config.guild_id),
            digest_channel_id=_text(config.digest_channel_id),
            digest_problem=config.digest_problem,
            digest_weekday=config.digest_weekday,
            digest_hour_utc=config.digest_hour_utc,
            ask_scope=config.ask_scope,
            debrief_cooldown_s=config.debrief_cooldown_s,
            ask_cooldown_s=config.ask_cooldown_s,
            announce_bests=config.announce_bests,
            language=config.language,
            updated_at=config.updated_at,
            updated_by=_text(config.updated_by),
        )


class GuildConfigUpdate(BaseModel):
    """Every setting of a server (PUT replaces them all); the ranges are checked on save."""

    model_config = ConfigDict(extra="forbid")

    digest_channel_id: SnowflakeInput | None = Field(
        description="Where the weekly digest is posted (a text channel of this server, checked "
        "with Discord); null: no digest."
    )
    digest_weekday: StrictInt = Field(description="1 = Monday ... 7 = Sunday.")
    digest_hour_utc: StrictInt = Field(description="0-23, in UTC.")
    ask_scope: AskScope
    debrief_cooldown_s: StrictInt = Field(description="0-3600 seconds.")
    ask_cooldown_s: StrictInt = Field(description="0-3600 seconds.")
    announce_bests: StrictBool = Field(
        default=False,
        description="Post new personal bests and milestones in the digest's channel.",
    )
    language: Language | None = Field(
        default=None,
        description="The language of Debrief's replies (en, es); null or absent: the server's "
        "own language in Discord.",
    )


def _text(snowflake: int | None) -> str | None:
    return None if snowflake is None else str(snowflake)


class LeaderboardQuery(BaseModel):
    stat: Stat = Stat.KD
    period: Period = DEFAULT_LEADERBOARD_PERIOD
    mode: Mode | None = None
    min_matches: int = Field(
        default=LEADERBOARD_MIN_MATCHES,
        ge=1,
        le=1000,
        description="Rank only players with at least this many matches in the period, so one "
        f"lucky game cannot top the board (default {LEADERBOARD_MIN_MATCHES}).",
    )
    limit: int = Field(default=10, ge=1, le=100)
