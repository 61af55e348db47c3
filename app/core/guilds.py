"""Per-server settings that admins change with /config."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.core.i18n import DEFAULT_LANGUAGE, N_, Language, _, language_of_locale


class AskScope(StrEnum):
    ME = "me"
    SERVER = "server"


# The settings as /config and the dashboard name them, for problems a person reads.
SETTING_NAMES: Mapping[str, str] = {
    "digest_channel_id": N_("digest channel"),
    "digest_weekday": N_("digest day"),
    "digest_hour_utc": N_("digest hour"),
    "ask_scope": N_("/ask answers from"),
    "debrief_cooldown_s": N_("/debrief and /log cooldown"),
    "ask_cooldown_s": N_("/ask cooldown"),
    "announce_bests": N_("announcing personal bests"),
    "language": N_("language"),
}


def setting_name(field: str) -> str:
    """A setting as an admin knows it: "digest_hour_utc" → "digest hour"."""
    known = SETTING_NAMES.get(field)
    return _(known) if known else field.replace("_", " ")


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
    # The language of Debrief's replies here; None follows the server's own language in
    # Discord (English when Debrief does not speak it).
    language: Language | None = None
    # Discord's language for the server (its "preferred locale"), stored by the bot when it
    # reads the settings and finds it missing or changed, so that a process without the
    # gateway (the API) knows it too.
    discord_locale: str | None = None
    # Why the digest was turned off by Debrief itself (its channel left the server); shown to
    # admins until they choose a channel again.
    digest_problem: str | None = None
    updated_at: datetime | None = None
    updated_by: int | None = None


class GuildConfig(GuildConfigFields):
    """A server's settings; a server that never ran /config gets the defaults."""

    def spoken_language(self) -> Language:
        """The language Debrief speaks here: the setting, else Discord's for the server, else
        English (also when Discord's is one Debrief does not speak)."""
        return self.language or language_of_locale(self.discord_locale) or DEFAULT_LANGUAGE
