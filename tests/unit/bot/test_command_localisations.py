"""The slash commands as synced, translated: every Spanish locale gets every name and
description, within Discord's limits (a payload outside them fails the whole sync)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from app.bot.command_translator import CatalogTranslator
from app.core.i18n import Language, discord_locales
from devtools.messages import translated_commands

SPANISH = discord_locales(Language.SPANISH)
NAME_MAX, TEXT_MAX = 32, 100
# Option types that are groups of options: subcommands and subcommand groups.
NESTING = {1, 2}


@pytest.fixture(scope="module")
async def synced() -> list[dict[str, Any]]:
    return await translated_commands(CatalogTranslator())


def levels(payloads: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Each list of siblings (top-level commands, a command's options), whose names must
    differ in every locale."""
    yield payloads
    for payload in payloads:
        options = payload.get("options", [])
        if options:
            yield from levels(options)


def every_item(payloads: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for siblings in levels(payloads):
        yield from siblings


def is_valid_name(name: str) -> bool:
    """Discord's rule for names: ^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$, lowercase."""
    allowed = all(c in "-_" or unicodedata.category(c)[0] in "LN" for c in name)
    return 1 <= len(name) <= NAME_MAX and allowed and name == name.lower()


async def test_every_command_and_option_has_spanish_names_and_descriptions(
    synced: list[dict[str, Any]],
) -> None:
    for item in every_item(synced):
        for locale in SPANISH:
            assert locale in item.get("name_localizations", {}), (item["name"], locale)
            if item["description"] != "…":  # discord.py's own filler for an undescribed option
                assert locale in item.get("description_localizations", {}), item["description"]


async def test_every_localised_name_and_description_is_within_discords_limits(
    synced: list[dict[str, Any]],
) -> None:
    for item in every_item(synced):
        for name in item.get("name_localizations", {}).values():
            assert is_valid_name(name), name
        for text in item.get("description_localizations", {}).values():
            assert 1 <= len(text) <= TEXT_MAX, text
        for choice in item.get("choices", []):
            for name in choice.get("name_localizations", {}).values():
                assert 1 <= len(name) <= TEXT_MAX, name


async def test_sibling_names_stay_distinct_in_every_locale(synced: list[dict[str, Any]]) -> None:
    for siblings in levels(synced):
        for locale in SPANISH:
            names = [
                item.get("name_localizations", {}).get(locale, item["name"]) for item in siblings
            ]
            assert len(names) == len(set(names)), (locale, names)


async def test_english_locales_get_no_localisation(synced: list[dict[str, Any]]) -> None:
    for item in every_item(synced):
        assert not {"en-US", "en-GB"} & set(item.get("name_localizations", {}))


async def test_a_spanish_command_reads_spanish(synced: list[dict[str, Any]]) -> None:
    [config] = [c for c in synced if c["name"] == "config"]
    language = next(o for o in config["options"] if o["name"] == "language")
    assert language["name_localizations"]["es-ES"] == "idioma"
    assert language["description_localizations"]["es-419"].startswith("Elige el idioma")
