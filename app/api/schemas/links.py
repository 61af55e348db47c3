"""Linked gamertags and seasons on the wire."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas.common import SnowflakeInput, SnowflakeString
from app.core.game.metrics import Stat
from app.core.links import MAX_GAMERTAG_LENGTH, GamertagLink
from app.core.seasons import MAX_SEASON_NAME_LENGTH, EndedSeason, Season, StatPodium


class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gamertag: str = Field(min_length=1, max_length=MAX_GAMERTAG_LENGTH)
    member_id: SnowflakeInput | None = Field(
        default=None,
        description="Manage Server only: give the name to this member, whoever had it.",
    )
    auto_record: bool | None = Field(
        default=None,
        description="Your opt-in to whole-squad capture for this name: a squad mate's "
        "uploaded scoreboard showing it records the match for you too. Omitted: unchanged "
        "(off for a new link). Only for your own names.",
    )


class LinkPublic(BaseModel):
    user_id: SnowflakeString
    gamertag: str
    linked_at: datetime
    auto_record: bool = Field(description="Whole-squad capture is on for this name.")

    @classmethod
    def of(cls, link: GamertagLink) -> LinkPublic:
        return cls(
            user_id=str(link.user_id),
            gamertag=link.gamertag,
            linked_at=link.linked_at,
            auto_record=link.auto_record,
        )


class Links(BaseModel):
    links: list[LinkPublic]


class SeasonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_SEASON_NAME_LENGTH)


class PlacePublic(BaseModel):
    rank: int
    user_id: SnowflakeString
    value: float
    matches: int


class PodiumPublic(BaseModel):
    stat: Stat
    label: str
    places: list[PlacePublic]

    @classmethod
    def of(cls, podium: StatPodium) -> PodiumPublic:
        places = [
            PlacePublic(rank=p.rank, user_id=str(p.user_id), value=p.value, matches=p.matches)
            for p in podium.places
        ]
        return cls(stat=podium.stat, label=podium.stat.label, places=places)


class EndedSeasonPublic(BaseModel):
    number: int
    name: str
    started_at: datetime | None
    ended_at: datetime
    podiums: list[PodiumPublic] = Field(description="Each stat's top three when it ended.")

    @classmethod
    def of(cls, ended: EndedSeason) -> EndedSeasonPublic:
        return cls(
            number=ended.number,
            name=ended.shown_name,
            started_at=ended.started_at,
            ended_at=ended.ended_at,
            podiums=[PodiumPublic.of(p) for p in ended.podiums],
        )


class SeasonPublic(BaseModel):
    number: int
    name: str
    started_at: datetime
    started_by: SnowflakeString
    ended: EndedSeasonPublic = Field(description="The season this one ended, with its results.")

    @classmethod
    def of(cls, season: Season) -> SeasonPublic:
        return cls(
            number=season.number,
            name=season.name,
            started_at=season.started_at,
            started_by=str(season.started_by),
            ended=EndedSeasonPublic.of(season.ended),
        )


class Seasons(BaseModel):
    seasons: list[SeasonPublic] = Field(description="Newest first; the first is the current.")
