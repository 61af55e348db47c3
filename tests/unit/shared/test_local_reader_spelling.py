"""The on-device reader spells weapon names as the catalog does where glyphs are ambiguous."""

from __future__ import annotations

from app.shared.catalog.loader import load_catalog
from app.shared.local_reader.spelling import spelled_as_catalog

CATALOG = load_catalog()


def _named(*names: str) -> dict[str, object]:
    return {"mode": "hardpoint", "weapons": [{"name": name, "kills": 3} for name in names]}


def test_ambiguous_glyphs_and_a_lost_space_are_spelled_as_the_catalog_spells_them() -> None:
    spelled = spelled_as_catalog(_named("XR-3 lon", "CODA9"), CATALOG)

    assert [w["name"] for w in spelled["weapons"]] == ["XR-3 Ion", "CODA 9"]
    assert [w["kills"] for w in spelled["weapons"]] == [3, 3]
    assert spelled["mode"] == "hardpoint"


def test_a_name_the_catalog_does_not_know_is_kept_as_read() -> None:
    spelled = spelled_as_catalog(_named("Prototype Q-77"), CATALOG)

    assert spelled["weapons"] == [{"name": "Prototype Q-77", "kills": 3}]


def test_stats_without_weapons_have_none() -> None:
    assert spelled_as_catalog({"mode": "overload"}, CATALOG) == {"mode": "overload", "weapons": []}
