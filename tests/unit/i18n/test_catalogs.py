"""The catalogs against the code: nothing missing, nothing stale, everything translated, and
every translation keeping its message's placeholders. `make messages` fixes the first two."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message

from app.core.i18n import DEFAULT_LANGUAGE, Language
from devtools.messages import load_catalog, source_catalog

TRANSLATED = [language for language in Language if language is not DEFAULT_LANGUAGE]
STALE = "the catalog is out of date with the code: run `make messages`, then translate"


@cache
def source() -> Catalog:
    return source_catalog()


def keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, _singular(m)) for m in catalog if m.id}


def entries(language: Language) -> Iterator[Message]:
    return (message for message in load_catalog(language) if message.id)


def _singular(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def fields(text: str) -> set[str]:
    """The names of a str.format string's placeholders: "{count:,} kills" → {"count"}."""
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("language", TRANSLATED, ids=str)
def test_every_message_of_the_code_is_in_the_catalog(language: Language) -> None:
    missing = keys(source()) - keys(load_catalog(language))
    assert not missing, f"{STALE}; missing: {sorted(missing, key=str)[:10]}"


@pytest.mark.parametrize("language", TRANSLATED, ids=str)
def test_the_catalog_holds_no_message_the_code_no_longer_has(language: Language) -> None:
    stale = keys(load_catalog(language)) - keys(source())
    assert not stale, f"{STALE}; no longer in the code: {sorted(stale, key=str)[:10]}"


@pytest.mark.parametrize("language", TRANSLATED, ids=str)
def test_every_message_is_translated_and_checked(language: Language) -> None:
    untranslated = [
        message.id for message in entries(language) if message.fuzzy or not all(_forms(message))
    ]
    assert not untranslated, f"untranslated or fuzzy in {language}: {untranslated[:10]}"


def _forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.mark.parametrize("language", TRANSLATED, ids=str)
def test_translations_keep_every_placeholder(language: Language) -> None:
    broken = []
    for message in entries(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set().union(*(fields(text) for text in ids))
        # A plural form may leave {count} out ("one kill"), never add or rename a placeholder.
        for form in _forms(message):
            found = fields(form)
            plural = isinstance(message.id, tuple)
            if found - expected or (not plural and found != expected):
                broken.append((message.id, form))
    assert not broken, f"placeholders changed in {language}: {broken[:10]}"


@pytest.mark.parametrize("language", TRANSLATED, ids=str)
def test_plural_messages_have_every_form_of_the_language(language: Language) -> None:
    catalog = load_catalog(language)
    plurals = [m for m in entries(language) if isinstance(m.id, tuple)]
    assert plurals, "the counts of replies are plural messages"
    assert all(len(_forms(m)) == catalog.num_plurals for m in plurals)


def test_the_dashboards_templates_are_extracted_with_the_code() -> None:
    """`make messages` reads the templates too: every template that shows text has messages
    (a template the extractor cannot parse would otherwise drop out of the catalog silently)."""
    from_templates = {
        filename
        for message in source()
        for filename, _line in message.locations
        if filename.startswith("app/api/templates/")
    }
    showing_text = {"base", "error", "landing", "match", "matches", "server", "servers"}
    showing_text |= {"session", "trends", "_fields", "_chart"}
    assert {f"app/api/templates/{name}.html" for name in showing_text} <= from_templates
    assert ("newest ({count} match)", "newest ({count} matches)") in {
        message.id for message in source() if isinstance(message.id, tuple)
    }
