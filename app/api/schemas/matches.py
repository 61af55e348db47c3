"""Matches on the wire: what a listing returns, and the body of a correction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from app.api.schemas.common import Snowflake, SnowflakeString
from app.core.debriefs import Debrief
from app.core.game.catalog import CatalogFlag, CatalogFlagReason, CatalogKind
from app.core.game.disagreements import ReaderFlag
from app.core.game.metrics import kd_ratio
from app.core.game.players import WeaponStat
from app.core.game.rules import Mode, Result
from app.core.matches import CapturedFrom, Match, MatchSource
from app.core.reads.matches import MatchQuery as MatchSelection


class PlayerLinePublic(BaseModel):
    """The player's scoreboard line; objective stats of other modes are null."""

    gamertag: str | None
    score: int
    kills: int
    deaths: int
    assists: int
    kd: float = Field(description="Kills per death (kills when there were no deaths).")
    objective_time_s: int | None = None
    captures: int | None = None
    plants: int | None = None
    defuses: int | None = None
    overloads: int | None = None
    device_carry_time_s: int | None = None


class WeaponPublic(BaseModel):
    name: str
    kills: int
    headshots: int
    accuracy: float | None

    @classmethod
    def of(cls, weapon: WeaponStat) -> WeaponPublic:
        return cls.model_validate(weapon.model_dump())


class CatalogFlagPublic(BaseModel):
    """A name the catalog does not know, or knows for another mode: worth a second look."""

    kind: CatalogKind
    raw: str
    reason: CatalogFlagReason

    @classmethod
    def of(cls, flag: CatalogFlag) -> CatalogFlagPublic:
        return cls(kind=flag.kind, raw=flag.raw, reason=flag.reason)


class ReaderFlagPublic(BaseModel):
    """Two readers read this field of the screenshots differently: worth a check."""

    kind: Literal["reader_disagreement"]
    field: str = Field(
        description="Path in the stats, e.g. `map`, `player.kills`, `weapons.Kogot-7.accuracy`; "
        "`weapons` when the two read different weapons."
    )
    used: int | float | str = Field(description="What was saved (the primary reader's value).")
    other: int | float | str = Field(description="What the checking reader read instead.")

    @classmethod
    def of(cls, flag: ReaderFlag) -> ReaderFlagPublic:
        return cls(kind=flag.kind, field=flag.field, used=flag.used, other=flag.other)


class CapturedFromPublic(BaseModel):
    """The squad mate's upload a captured match was read from."""

    match_id: str
    user_id: SnowflakeString

    @classmethod
    def of(cls, origin: CapturedFrom | None) -> CapturedFromPublic | None:
        if origin is None:
            return None
        return cls(match_id=origin.match_id, user_id=str(origin.user_id))


class MatchPublic(BaseModel):
    id: str
    guild_id: SnowflakeString
    channel_id: SnowflakeString
    user_id: SnowflakeString
    mode: Mode
    map: str
    result: Result
    team_score: int
    enemy_score: int
    player: PlayerLinePublic
    weapons: list[WeaponPublic]
    played_at: datetime
    source: MatchSource
    corrected: bool = Field(description="A person changed the stats after they were read.")
    catalog_flags: list[CatalogFlagPublic]
    reader_flags: list[ReaderFlagPublic] = Field(
        description="Fields two readers disagreed on; a correction of a field settles its flags."
    )
    note: str | None
    captured_from: CapturedFromPublic | None = Field(
        default=None,
        description="Set when the match was recorded for this player from a squad mate's "
        'upload (`source` "captured"): that upload\'s match and uploader. Null otherwise.',
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, match: Match) -> MatchPublic:
        stats = match.stats
        player = stats.player
        return cls(
            id=match.id,
            guild_id=str(match.guild_id),
            channel_id=str(match.channel_id),
            user_id=str(match.user_id),
            mode=stats.mode,
            map=stats.map,
            result=stats.result,
            team_score=stats.team_score,
            enemy_score=stats.enemy_score,
            player=PlayerLinePublic(
                **player.model_dump(exclude={"mode"}), kd=kd_ratio(player.kills, player.deaths)
            ),
            weapons=[WeaponPublic.of(weapon) for weapon in stats.weapons],
            played_at=match.played_at,
            source=match.source,
            corrected=match.corrected,
            catalog_flags=[CatalogFlagPublic.of(flag) for flag in match.catalog_flags],
            reader_flags=[ReaderFlagPublic.of(flag) for flag in match.reader_flags],
            note=match.note,
            captured_from=CapturedFromPublic.of(match.captured_from),
            created_at=match.created_at,
            updated_at=match.updated_at,
        )


class MatchPage(BaseModel):
    items: list[MatchPublic]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


# Strict: `true` where a number belongs is a mistake, not a 1.
class CorrectedPlayer(BaseModel):
    """The player's line; give exactly the objective stats of the match's mode."""

    model_config = ConfigDict(extra="forbid")

    gamertag: str | None = None
    score: StrictInt
    kills: StrictInt
    deaths: StrictInt
    assists: StrictInt
    objective_time_s: StrictInt | None = Field(default=None, description="Hardpoint")
    captures: StrictInt | None = Field(default=None, description="Hardpoint")
    plants: StrictInt | None = Field(default=None, description="Search and Destroy")
    defuses: StrictInt | None = Field(default=None, description="Search and Destroy")
    overloads: StrictInt | None = Field(default=None, description="Overload")
    device_carry_time_s: StrictInt | None = Field(default=None, description="Overload")


class CorrectedWeapon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kills: StrictInt
    headshots: StrictInt
    accuracy: StrictFloat | None = None


class MatchCorrection(BaseModel):
    """Corrected stats, in the shape a screenshot is read into; checked like a reading."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "mode": "hardpoint",
                    "map": "Den",
                    "result": "win",
                    "team_score": 250,
                    "enemy_score": 201,
                    "player": {
                        "score": 6100,
                        "kills": 31,
                        "deaths": 22,
                        "assists": 9,
                        "objective_time_s": 95,
                        "captures": 4,
                    },
                    "weapons": [{"name": "M15 Mod 0", "kills": 27, "headshots": 6}],
                }
            ]
        },
    )

    mode: Mode
    map: str
    result: Result
    team_score: StrictInt
    enemy_score: StrictInt
    player: CorrectedPlayer
    weapons: list[CorrectedWeapon] = Field(default_factory=list)

    def raw_stats(self) -> dict[str, Any]:
        """The raw shape `validate_extraction` reads: absent stats left out, not null."""
        return self.model_dump(mode="json", exclude_none=True)


class MatchQuery(BaseModel):
    """Which matches: your own anywhere, or any of a server you belong to."""

    guild_id: Snowflake | None = Field(
        default=None, description="Only this server's matches; you must be a member."
    )
    user_id: Snowflake | None = Field(
        default=None,
        description="Only this player's matches. Default: yours, or everyone's in `guild_id`.",
    )
    mode: Mode | None = None
    map: str | None = Field(default=None, min_length=1, max_length=64)
    played_from: datetime | None = Field(default=None, description="Played at or after this.")
    played_until: datetime | None = Field(default=None, description="Played before this.")

    def selection(self) -> MatchSelection:
        return MatchSelection(
            user_id=self.user_id,
            guild_id=self.guild_id,
            mode=self.mode,
            map=self.map,
            played_from=self.played_from,
            played_until=self.played_until,
        )


class MatchListQuery(MatchQuery):
    cursor: str | None = Field(
        default=None, max_length=200, description="`next_cursor` of the previous page."
    )
    limit: int = Field(default=25, ge=1, le=100)


class DebriefPublic(BaseModel):
    """The written debrief of a match."""

    match_id: str
    headline: str
    strengths: list[str]
    to_work_on: list[str]
    comparison: str
    records: list[str] = Field(description="New personal bests and milestones of this match.")
    # "ai", or "template": written from the numbers without the AI (none configured, writing
    # turned off with GEMINI_WRITES=false, or the AI failed; the record does not say which).
    source: str
    created_at: datetime

    @classmethod
    def of(cls, debrief: Debrief) -> DebriefPublic:
        return cls(
            match_id=debrief.match_id,
            headline=debrief.headline,
            strengths=list(debrief.strengths),
            to_work_on=list(debrief.to_work_on),
            comparison=debrief.comparison,
            records=[record.text for record in debrief.records],
            source=debrief.source.value,
            created_at=debrief.created_at,
        )
