"""Events: what happened. Any number of subscribers each (database, Discord, Gemini)."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.messages import Event


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchSaved(Event):
    match_id: str
    guild_id: int
    user_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchCorrected(Event):
    match_id: str
    guild_id: int
    user_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchDeleted(Event):
    match_id: str
    guild_id: int
    user_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class GuildConfigUpdated(Event):
    guild_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DebriefWritten(Event):
    match_id: str
    debrief_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionAnswered(Event):
    guild_id: int
    user_id: int
    rows: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestPosted(Event):
    guild_id: int
    week: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestChannelRefused(Event):
    """The digest's channel is not in its server any more: the digest was turned off."""

    guild_id: int
    channel_id: int
    # The admin who chose that channel, told privately; None if nobody is on record.
    admin_id: int | None
