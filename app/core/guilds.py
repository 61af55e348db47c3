"""Per-server settings that admins change with /config."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class AskScope(StrEnum):
    ME = "me"
    SERVER = "server"


# The settings as /config and the dashboard name them, for problems a person reads.
SETTING_NAMES: Mapping[str, str] = {
    "digest_channel_id": "digest channel",
    "digest_weekday": "digest day",
    "digest_hour_utc": "digest hour",
    "ask_scope": "/ask answers from",
    "debrief_cooldown_s": "/debrief and /log cooldown",
    "ask_cooldown_s": "/ask cooldown",
    "announce_bests": "announcing personal bests",
}


def setting_name(field: str) -> str:
    """A setting as an admin knows it: "digest_hour_utc" → "digest hour"."""
    return SETTING_NAMES.get(field, field.replace("_", " "))


class GuildConfigFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    guild_id: int
    digest_channel_id: int | None = None
    # ISO weekday (1 = Monday) and hour in UTC at which the weekly digest is posted.
    digest_weekday: int = Field(default=1, ge=1, le=7)
    digest_hour_utc: int = Field(default=18, ge=0, le=23)
    ask_scope: AskScope = AskScope.SERVER
    debrief_cooldown_s: int = Field(default=30, ge=0, le=3600)
    ask_cooldown_s: int = Field(default=15, ge=0, le=3600)
    # Post players' new personal bests and milestones in the digest's channel (the squad's).
    announce_bests: bool = False
    # Why the digest was turned off by Debrief itself (its channel left the server); shown to
    # admins until they choose a channel again.
    digest_problem: str | None = None
    updated_at: datetime | None = None
    updated_by: int | None = None


class GuildConfig(GuildConfigFields):
    """A server's settings; a server that never ran /config gets the defaults."""
