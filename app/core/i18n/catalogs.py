"""Loading a language's catalog: the `.po` file itself, compiled in memory once per process.

Reading the `.po` (not a compiled `.mo`) means a fresh clone, the Docker images and an
editable install all run from the same file translators edit, with no build step to forget.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from app.core.i18n.languages import DEFAULT_LANGUAGE, Language

CATALOG_DOMAIN = "debrief"
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"


def po_path(language: Language) -> Path:
    return LOCALES_DIR / language.value / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"


@cache
def translations(language: Language) -> gettext.NullTranslations:
    """The language's translations; English, the source language, translates nothing."""
    if language is DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    # Imported here: a process that only ever speaks English (the API) never loads Babel.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as po:
        # No locale: the plural rule is the file's own Plural-Forms header, and Babel's data
        # for the locale would cost the process about 2 MiB for nothing.
        catalog = read_po(po, domain=CATALOG_DOMAIN)
    compiled = BytesIO()
    # Fuzzy entries are a translator's unchecked guesses: left out, so English shows instead.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
