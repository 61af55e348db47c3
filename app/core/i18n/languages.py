"""The languages Debrief speaks, and which of Discord's locales each one serves."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Language(StrEnum):
    """A language with a complete catalog; its value is the catalog's folder name."""

    ENGLISH = "en"
    SPANISH = "es"

    @property
    def native_name(self) -> str:
        """The language as its speakers name it, for a picker."""
        return _NATIVE_NAMES[self]

    @property
    def english_name(self) -> str:
        """The language named in English, for instructions to the AI."""
        return _ENGLISH_NAMES[self]


# English is the source language: its "catalog" is the code itself.
DEFAULT_LANGUAGE = Language.ENGLISH

_ENGLISH_NAMES: Mapping[Language, str] = {
    Language.ENGLISH: "English",
    Language.SPANISH: "Spanish",
}
_NATIVE_NAMES: Mapping[Language, str] = {
    Language.ENGLISH: "English",
    Language.SPANISH: "Español",
}

# Discord's locale codes, each served by one of our languages: Spain's and Latin America's
# Spanish share one catalog (game terms are the same on both sides of the Atlantic).
_DISCORD_LOCALES: Mapping[Language, tuple[str, ...]] = {
    Language.ENGLISH: ("en-US", "en-GB"),
    Language.SPANISH: ("es-ES", "es-419"),
}


def discord_locales(language: Language) -> tuple[str, ...]:
    """Discord's locale codes that `language` serves."""
    return _DISCORD_LOCALES[language]


def language_of_locale(code: str | None) -> Language | None:
    """The language serving a locale code ("es-ES", "es-419", "es", "en_GB"), or None."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-", 1)[0].lower()
    for language in Language:
        if language.value == primary:
            return language
    return None
