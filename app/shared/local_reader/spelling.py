"""Weapon names spelled as the catalog spells them, where the glyphs alone can't tell.

OCR can't tell some glyphs apart in some fonts: a capital I and a lower-case l are the same
shape in many sans-serif fonts ("XR-3 Ion" read as "XR-3 lon"), and a narrow space between
a name and its number is easily lost ("CODA 9" read as "CODA9"). A reader that knows the
words it may see (a lexicon) picks the word those glyphs spell; the catalog is that lexicon.
A name the catalog does not know, or knows only ambiguously, is kept as read, so the core's
catalog still flags it as unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.game.catalog import Catalog


def spelled_as_catalog(stats: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """``stats`` with each weapon the catalog knows named as the catalog names it."""
    weapons = [_spelled(weapon, catalog) for weapon in stats.get("weapons", [])]
    return {**stats, "weapons": weapons}


def _spelled(weapon: Mapping[str, Any], catalog: Catalog) -> Mapping[str, Any]:
    name = weapon.get("name")
    entry = catalog.find_weapon(name) if isinstance(name, str) else None
    return weapon if entry is None else {**weapon, "name": entry.name}
