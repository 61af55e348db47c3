"""The slash commands' names and descriptions in each language, from the catalog.

discord.py asks this translator for every name, description and choice when it syncs the
commands, once per Discord locale; Discord then shows each user the command in their own
client's language (the server's language setting is for what Debrief replies).
"""

from __future__ import annotations

import discord
from discord import app_commands

from app.core.i18n import DEFAULT_LANGUAGE, language_of_locale, ptranslate, translate

# Names are identifiers (lowercase, no spaces): a word translated as a name may differ from
# the same word in a sentence, so names carry a context of their own in the catalog.
NAME_CONTEXT = "command name"
NAME_LOCATIONS = frozenset(
    {
        app_commands.TranslationContextLocation.command_name,
        app_commands.TranslationContextLocation.group_name,
        app_commands.TranslationContextLocation.parameter_name,
    }
)


class CatalogTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        language = language_of_locale(locale.value)
        if language is None or language is DEFAULT_LANGUAGE:
            return None  # Discord falls back to the command's own (English) text
        if context.location in NAME_LOCATIONS:
            return ptranslate(language, NAME_CONTEXT, string.message)
        # Sent even where it reads as the English ("Pong"): every locale complete, explicitly.
        return translate(language, string.message)
