"""Seasons: a server's admins start a new one; leaderboards default to the current season.

One document per season, written once, when it starts: its number (unique per server), its
name, its start, and the final top three of the season it ends (every stat the leaderboard
offers). A single insert is the whole change, so a season is either started with the results
of the one before frozen in it, or not started at all; the server's current season is simply
its highest number. The same idempotency key (a replayed interaction, a retried API request)
returns the season it started.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.core.errors import Conflict, DomainError
from app.core.game.metrics import Stat
from app.core.i18n import N_, _

MAX_SEASON_NAME_LENGTH = 40
# What the results of the time before a server's first season are called. Stored in English as
# the season's name (and so for seasons already saved); shown in the reader's language.
BEFORE_SEASONS = N_("Before seasons")
# How many of each stat's leaderboard are kept when a season ends.
PODIUM_SIZE = 3


class PodiumPlace(BaseModel):
    model_config = ConfigDict(frozen=True)

    rank: int
    user_id: int
    value: float
    matches: int


class StatPodium(BaseModel):
    model_config = ConfigDict(frozen=True)

    stat: Stat
    places: tuple[PodiumPlace, ...] = ()


class EndedSeason(BaseModel):
    """The final top three of a season, frozen when the next one started."""

    model_config = ConfigDict(frozen=True)

    number: int  # 0: the time before the server's first season
    name: str
    started_at: datetime | None  # None: from the server's first match
    ended_at: datetime
    podiums: tuple[StatPodium, ...] = ()

    @property
    def shown_name(self) -> str:
        """Its name as a reader sees it: the admins' own, or, for the time before the first
        season, Debrief's name for it in this interaction's language."""
        return _(BEFORE_SEASONS) if self.number == 0 else self.name

    def is_called(self, name: str) -> bool:
        """Whether a reader means this season by ``name``, stored or shown, any case."""
        wanted = " ".join(name.split()).casefold()
        return wanted in {self.name.casefold(), self.shown_name.casefold()}


class SeasonFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    guild_id: int
    number: int = Field(ge=1)
    name: str
    started_at: datetime
    started_by: int
    # The command's idempotency key: the same key starts the season once.
    idempotency_key: str
    # The season this one ended, with its results.
    ended: EndedSeason


class Season(SeasonFields):
    id: str


class InvalidSeasonName(DomainError):
    user_message = N_("A season name is 1-{max} characters.")
    user_message_params = {"max": MAX_SEASON_NAME_LENGTH}


class SeasonRace(Conflict):
    user_message = N_("Another admin started a season at the same moment; see /season results.")


class SeasonNameTaken(Conflict):
    user_message = N_("This server already had a season with that name; choose another.")


class UnknownSeason(DomainError):
    user_message = N_("No ended season of this server has that name; see /season results.")


def clean_season_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_SEASON_NAME_LENGTH:
        raise InvalidSeasonName
    return cleaned
