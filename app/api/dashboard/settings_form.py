"""The settings form of a server: its fields from the stored settings, and a posted form back
into the body PUT /config takes (`GuildConfigUpdate`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.guilds import GuildConfig
from app.core.i18n import N_, Language

WEEKDAYS = (
    (1, N_("Monday")),
    (2, N_("Tuesday")),
    (3, N_("Wednesday")),
    (4, N_("Thursday")),
    (5, N_("Friday")),
    (6, N_("Saturday")),
    (7, N_("Sunday")),
)
# The language picker: blank follows the server's language in Discord. Marked only, and
# translated where shown; a language's own name is the same in every language.
LANGUAGES = (
    ("", N_("The server's language in Discord")),
    *((language.value, language.native_name) for language in Language),
)
NUMBERS = ("digest_weekday", "digest_hour_utc", "debrief_cooldown_s", "ask_cooldown_s")


def settings_values(config: GuildConfig) -> dict[str, str]:
    channel = config.digest_channel_id
    values = {name: str(getattr(config, name)) for name in NUMBERS}
    values.update(digest_channel_id="" if channel is None else str(channel))
    values.update(ask_scope=config.ask_scope.value)
    values.update(language=config.language.value if config.language else "")
    return values


def raw_settings(form: Mapping[str, str]) -> dict[str, Any]:
    """Numbers read as numbers; a blank channel is "no digest"; anything else stays text for
    the model to refuse with the field's name."""
    raw: dict[str, Any] = {name: _number(form.get(name, "")) for name in NUMBERS}
    channel = form.get("digest_channel_id", "").strip()
    raw["digest_channel_id"] = channel or None
    raw["ask_scope"] = form.get("ask_scope", "")
    # Blank: follow the server's language in Discord.
    raw["language"] = form.get("language", "") or None
    return raw


def _number(text: str) -> Any:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text
