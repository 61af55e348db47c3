"""Events: what happened. Any number of subscribers each (database, Discord, Gemini).

Each carries what its subscribers need (the match, its debrief, the reply it owes), so no
subscriber reads back what was just written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.cross_process import PostDigestRequest
from app.core.debriefs import Debrief
from app.core.deliveries import WeeklyDigest
from app.core.matches import Match
from app.core.messages import Event
from app.core.replies import OwedReply


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchSaved(Event):
    match: Match
    # The reply a /debrief or /log owes for it; None for a match saved any other way.
    reply: OwedReply | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LobbyRead(Event):
    """The uploader's match is saved and its scoreboard had other rows (raw, untrusted):
    squad mates who opted in get the match too (`app/core/handlers/squad.py`)."""

    match: Match
    lobby: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchCaptured(Event):
    """`match` was recorded for a squad mate from the row `gamertag` of `origin`'s scoreboard."""

    match: Match
    origin: Match
    gamertag: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchCorrected(Event):
    match: Match


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchDeleted(Event):
    match_id: str
    guild_id: int
    user_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DebriefWritten(Event):
    match: Match
    debrief: Debrief
    # Passed on from MatchSaved: the reply that can go out now that the debrief exists.
    reply: OwedReply | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestWritten(Event):
    """A week's digest was claimed and written: it is to be posted (`send_digest`)."""

    digest: WeeklyDigest


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestChannelRefused(Event):
    """The digest's channel is not in its server any more: the digest was turned off."""

    guild_id: int
    channel_id: int
    # The admin who chose that channel, told privately; None if nobody is on record.
    admin_id: int | None
    turned_off_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestRequested(Event):
    """An admin asked for the digest now: a command for the bot, queued by `queue_for_the_bot`."""

    request: PostDigestRequest
    dedupe_key: str
    requested_at: datetime
