"""`make messages`: bring every language's catalog up to date with the code.

The source messages are every string marked in `app/` (`_`, `N_`, `ngettext`, `pgettext`),
in its Python code and in the dashboard's Jinja templates, and every name and description of
the slash commands, which discord.py hands its translator when the bot syncs them (gathered
here from the real command tree, so nothing is missed). New messages arrive untranslated,
vanished ones are dropped; translators then fill in the `.po` files.
tests/unit/i18n/test_catalogs.py fails while any of that is left to do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import discord
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from discord import app_commands
from pydantic import SecretStr

from app import __version__
from app.bot.client import EXTENSIONS, DebriefBot
from app.bot.command_translator import NAME_CONTEXT, NAME_LOCATIONS
from app.core.i18n import CATALOG_DOMAIN, DEFAULT_LANGUAGE, LOCALES_DIR, Language
from app.core.i18n.catalogs import po_path
from app.shared.settings import load_settings

APP_DIR = LOCALES_DIR.parent
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
HEADER = """\
# {language} translations of Debrief's messages.
# Updated by `make messages`; translated by hand (docs/translations.md).
#"""
# Where a message comes from, for translators, when it is not a line of code.
COMMANDS_ORIGIN = "A slash command's name, description or choice (app/bot/cogs)."


# The dashboard's templates call `_`, `ngettext` and `pgettext` too (app/api/dashboard/
# page_text.py); Jinja's own extractor reads them with the options the pages are rendered with.
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
OPTIONS_MAP = {
    "**/templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true", "silent": "false"}
}


def code_messages() -> Iterator[tuple[str, int, str | tuple[str, ...], str | None]]:
    """(file, line, message, context) for every marked string under app/: code and templates."""
    for filename, lineno, message, _comments, context in extract_from_dir(
        APP_DIR, method_map=METHOD_MAP, options_map=OPTIONS_MAP, keywords=KEYWORDS
    ):
        yield f"app/{filename}", lineno, message, context


class _Recorder(app_commands.Translator):
    """Answers nothing, and notes every string discord.py asks it to translate."""

    def __init__(self) -> None:
        self.seen: set[tuple[str | None, str]] = set()

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        named = context.location in NAME_LOCATIONS
        self.seen.add((NAME_CONTEXT if named else None, string.message))
        return None


class _OfflineBot(DebriefBot):
    async def wait_until_ready(self) -> None:
        # Never connected: the cogs' background loops wait here until they are unloaded,
        # instead of finding the client not logged in.
        await asyncio.Event().wait()


def offline_bot() -> DebriefBot:
    """The bot as built for production, never connected: only its commands are wanted."""
    return _OfflineBot(
        load_settings(
            debrief_env="production",
            jwt_secret=SecretStr("catalog-" + "x" * 48),
            mongodb_uri=SecretStr("mongodb://127.0.0.1:1"),
            discord_bot_token=SecretStr("catalog-token"),
        )
    )


async def translated_commands(translator: app_commands.Translator) -> list[dict[str, Any]]:
    """Every slash command's payload as the bot syncs it, translated by `translator`."""
    bot = offline_bot()
    try:
        for extension in EXTENSIONS:  # every command, as setup_hook loads them
            await bot.load_extension(extension)
        return [
            await command.get_translated_payload(bot.tree, translator)
            for command in bot.tree.get_commands()
        ]
    finally:
        # Last loaded, first unloaded: every background loop is cancelled before an unload
        # that waits (the outbox's) lets one start and find the bot never logged in.
        for extension in reversed(EXTENSIONS):
            await bot.unload_extension(extension)
        await bot.charts.close()  # never started here


async def _command_messages() -> set[tuple[str | None, str]]:
    recorder = _Recorder()
    await translated_commands(recorder)
    return recorder.seen


def command_messages() -> set[tuple[str | None, str]]:
    """(context, message) for every name, description and choice of the slash commands."""
    return asyncio.run(_command_messages())


def source_catalog() -> Catalog:
    """Every message the code can show, in English."""
    catalog = Catalog(domain=CATALOG_DOMAIN, project="Debrief", version=__version__, fuzzy=False)
    for filename, lineno, message, context in code_messages():
        catalog.add(message, locations=[(filename, lineno)], context=context)
    for context, message in sorted(command_messages(), key=lambda m: (m[0] or "", m[1])):
        catalog.add(message, auto_comments=[COMMANDS_ORIGIN], context=context)
    return catalog


def load_catalog(language: Language) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language.value, domain=CATALOG_DOMAIN, project="Debrief", fuzzy=False)
    with path.open("rb") as po:
        return read_po(po, locale=language.value, domain=CATALOG_DOMAIN)


def update_catalogs() -> list[Path]:
    """Update every translated language's `.po` from the code; the paths written."""
    template = source_catalog()
    written = []
    for language in Language:
        if language is DEFAULT_LANGUAGE:
            continue  # the source language: its catalog is the code
        catalog = load_catalog(language)
        # The file changes only when its messages do: no new date on every run to merge.
        template.creation_date = catalog.creation_date
        # No fuzzy matching: a guessed translation of a changed message reads as right.
        catalog.update(template, no_fuzzy_matching=True)
        catalog.project, catalog.version = "Debrief", __version__
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po:
            # Files without line numbers: a line moving elsewhere changes no catalog.
            write_po(po, catalog, ignore_obsolete=True, include_lineno=False, width=100)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in update_catalogs():
        print(f"updated {path}")
