"""Commands: what a user or a process asks Debrief to do. Exactly one handler each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.actors import Actor
from app.core.matches import MatchSource
from app.core.messages import Command


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordMatch(Command):
    """Validate raw stats (from the AI or a modal) and save them as a new match."""

    guild_id: int
    channel_id: int
    user_id: int
    interaction_id: int
    raw_stats: Mapping[str, Any]
    source: MatchSource
    played_at: datetime
    screenshot_hashes: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectMatch(Command):
    match_id: str
    actor: Actor
    raw_stats: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteMatch(Command):
    match_id: str
    actor: Actor


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateGuildConfig(Command):
    guild_id: int
    actor: Actor
    changes: Mapping[str, Any] = field(default_factory=dict)
