"""A text that names a command names it as the reader's Discord shows it: "/season results" in
English, "/temporada resultados" in Spanish, with each option as the command itself spells it
("/vincular gamertag:… miembro:@tú"). The names come from the command tree as it is synced
(`devtools.messages.translated_commands`), so a renamed command or option fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.bot.command_translator import CatalogTranslator
from app.core.i18n import DEFAULT_LANGUAGE, Language, discord_locales
from devtools.messages import load_catalog, translated_commands

# Option types that hold other options: subcommands and subcommand groups.
NESTING = {1, 2}
# "/season results", "/ask": a slash at a word's start, not in a path ("/api/v1") or "K/D".
MENTION = re.compile(r"(?<![\w/.:<])/([^\W\d][\w-]*)(?: ([^\W\d][\w-]*))?(?![\w/-])")
# "member:@you", "auto_record:False": an option as it is typed, name then value.
OPTION = re.compile(r"(?<![\w/])([^\W\d][\w-]*):(?=[^\s/])")
# An option named outside a command line: "turn on auto_record".
BARE_OPTION = re.compile(r"(?<![\w/:{])([a-z]+_[a-z_]+)(?![\w:}])")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass
class Commands:
    """One language's names: top-level command → its subcommands, and each command's options."""

    subcommands: dict[str, set[str]] = field(default_factory=dict)
    options: dict[str, set[str]] = field(default_factory=dict)

    def all_options(self) -> set[str]:
        return set().union(*self.options.values())


def named(item: dict[str, Any], locale: str | None) -> str:
    name: str = item["name"]
    return item.get("name_localizations", {}).get(locale, name) if locale else name


def commands_in(payloads: list[dict[str, Any]], locale: str | None) -> Commands:
    commands = Commands()
    for command in payloads:
        top = named(command, locale)
        commands.subcommands[top] = set()
        commands.options[top] = set()
        for path, options in _option_lists(command, locale, top):
            commands.options.setdefault(path, set()).update(options)
            if path != top:
                commands.subcommands[top].add(path.split(" ")[-1])
                commands.options[top].update(options)
    return commands


def _option_lists(
    item: dict[str, Any], locale: str | None, path: str
) -> Iterator[tuple[str, set[str]]]:
    children = item.get("options", [])
    yield path, {named(o, locale) for o in children if o["type"] not in NESTING}
    for child in children:
        if child["type"] in NESTING:
            yield from _option_lists(child, locale, f"{path} {named(child, locale)}")


@pytest.fixture(scope="module")
async def synced() -> list[dict[str, Any]]:
    return await translated_commands(CatalogTranslator())


def wrong_names(text: str, commands: Commands) -> list[str]:
    """Each command, subcommand or option the text names that this language does not have."""
    text = PLACEHOLDER.sub("", text)
    wrong, mentioned = [], []
    for top, word in MENTION.findall(text):
        if top not in commands.subcommands:
            wrong.append(f"/{top}")
            continue
        mentioned.append(top)
        # A command with subcommands is named with one ("/config digest"); words that follow
        # a plain command ("/ask sin IA") are the sentence's.
        if commands.subcommands[top] and word and word not in commands.subcommands[top]:
            wrong.append(f"/{top} {word}")
    known = set().union(*(commands.options[top] for top in mentioned)) if mentioned else None
    for option in OPTION.findall(text):
        if option not in (known if known is not None else commands.all_options()):
            wrong.append(f"{option}:")
    for option in BARE_OPTION.findall(text):
        if option not in commands.all_options():
            wrong.append(option)
    return wrong


def texts(language: Language) -> Iterator[tuple[str, str]]:
    """(msgid, text) for every message in that language that is not a command's own name."""
    # The Spanish catalog holds every English message too (tests/unit/i18n/test_catalogs.py).
    for message in load_catalog(Language.SPANISH):
        if not message.id or message.context:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        shown = message.id if language is DEFAULT_LANGUAGE else message.string
        for text in shown if isinstance(shown, tuple) else (shown,):
            if text:
                yield msgid, text


async def test_english_texts_name_the_english_commands(synced: list[dict[str, Any]]) -> None:
    english = commands_in(synced, None)
    wrong = {
        msgid: bad for msgid, text in texts(DEFAULT_LANGUAGE) if (bad := wrong_names(text, english))
    }
    assert not wrong


@pytest.mark.parametrize("locale", discord_locales(Language.SPANISH))
async def test_spanish_texts_name_the_commands_as_a_spanish_client_shows_them(
    synced: list[dict[str, Any]], locale: str
) -> None:
    spanish = commands_in(synced, locale)
    wrong = {
        msgid: bad for msgid, text in texts(Language.SPANISH) if (bad := wrong_names(text, spanish))
    }
    assert not wrong


def test_the_check_catches_english_names_in_spanish() -> None:
    spanish = Commands(
        subcommands={"temporada": {"resultados"}, "vincular": set()},
        options={
            "temporada": set(),
            "temporada resultados": {"temporada"},
            "vincular": {"gamertag", "miembro"},
        },
    )
    assert wrong_names("mira /season results", spanish) == ["/season"]
    assert wrong_names("mira /temporada results.", spanish) == ["/temporada results"]
    assert wrong_names("con /vincular gamertag:{g} member:@tú", spanish) == ["member:"]
    assert wrong_names("activa auto_record para", spanish) == ["auto_record"]
    assert (
        wrong_names("con /vincular gamertag:{g} miembro:@tú; mira /temporada resultados", spanish)
        == []
    )
