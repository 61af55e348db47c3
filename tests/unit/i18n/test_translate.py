"""Looking strings up: in the interaction's language, explicitly, with plurals, and never
leaking one interaction's language into another running at the same time."""

from __future__ import annotations

import asyncio

from app.core.i18n import (
    DEFAULT_LANGUAGE,
    Language,
    _,
    current_language,
    language_of_locale,
    ngettext,
    set_language,
    speaking,
    translate,
)
from app.core.wording import counted

SAVED = "Saved."


def test_english_is_the_default_and_the_code_is_its_catalog() -> None:
    assert current_language() is DEFAULT_LANGUAGE is Language.ENGLISH
    assert _(SAVED) == SAVED
    assert _("Match {id} was deleted.", id="abc") == "Match abc was deleted."


def test_spanish_replaces_the_message_and_fills_its_placeholders() -> None:
    with speaking(Language.SPANISH):
        assert _(SAVED) == "Guardado."
        deleted = _("Match {id} was deleted.", id="abc")
    assert "abc" in deleted and deleted != "Match abc was deleted."
    assert _(SAVED) == SAVED, "the language is restored after the block"


def test_a_message_the_catalog_lacks_shows_as_written() -> None:
    assert translate(Language.SPANISH, "A message no catalog has") == "A message no catalog has"


def test_plurals_follow_each_languages_rules() -> None:
    assert ngettext("{count:,} kill", "{count:,} kills", 1) == "1 kill"
    assert counted(0, "kill") == "0 kills"
    with speaking(Language.SPANISH):
        assert counted(1, "kill") == "1 baja"
        assert counted(2, "kill") == "2 bajas"
        assert counted(0, "match") == "0 partidas"
        assert counted(1_000_000, "kill") == "1,000,000 de bajas"  # Spanish's third form


def test_discord_locales_map_to_the_languages_that_serve_them() -> None:
    assert language_of_locale("es-ES") is Language.SPANISH
    assert language_of_locale("es-419") is Language.SPANISH
    assert language_of_locale("en-GB") is Language.ENGLISH
    assert language_of_locale("fr") is None
    assert language_of_locale(None) is None


async def test_concurrent_interactions_each_keep_their_own_language() -> None:
    both_set = asyncio.Barrier(2)

    async def interaction(language: Language) -> str:
        set_language(language)  # as each interaction's entry point does, in its own task
        await both_set.wait()  # the other has set its language too by now
        return _(SAVED)

    spanish, english = await asyncio.gather(
        interaction(Language.SPANISH), interaction(Language.ENGLISH)
    )

    assert (spanish, english) == ("Guardado.", SAVED)
    assert current_language() is DEFAULT_LANGUAGE, "nothing leaked into the caller"
