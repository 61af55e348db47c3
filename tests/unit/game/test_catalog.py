"""Resolving names against the catalog, and applying it to match stats."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.game import (
    Catalog,
    CatalogFlag,
    CatalogFlagReason,
    CatalogKind,
    InvalidCatalog,
    MapEntry,
    Mode,
    WeaponClass,
    WeaponEntry,
    apply_catalog,
    validate_extraction,
)

from .raw import raw_match

DATA: dict[str, Any] = {
    "maps": [
        {"name": "Den", "modes": ["hardpoint", "search_and_destroy", "overload"]},
        {"name": "Raid", "modes": ["search_and_destroy"]},
        {"name": "Nuketown 2025", "aliases": ["Nuketown"]},
    ],
    "weapons": [
        {"name": "M15 Mod 0", "aliases": ["M15"], "class": "assault_rifle"},
        {"name": "Kogot-7", "class": "smg"},
        {"name": "Jäger 45", "class": "pistol"},
        # Two real names one OCR slip apart: a slip between them must stay unknown.
        {"name": "Aria 5", "class": "smg"},
        {"name": "Aria S", "class": "smg"},
    ],
    "teams": [{"name": "OpTic Texas", "aliases": ["OpTic"]}],
}


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.from_data(DATA)


class TestResolve:
    @pytest.mark.parametrize(
        ("raw", "canonical"),
        [
            ("M15 Mod 0", "M15 Mod 0"),
            ("  m15   MOD 0 ", "M15 Mod 0"),
            ("M15", "M15 Mod 0"),
            ("JAGER 45", "Jäger 45"),
            ("Kogot\u20137", "Kogot-7"),
            ("KOGOT 7", "Kogot-7"),
            ("Aria 5", "Aria 5"),
            ("aria s", "Aria S"),
        ],
    )
    def test_known_spellings_resolve_to_the_canonical_name(
        self, catalog: Catalog, raw: str, canonical: str
    ) -> None:
        name = catalog.resolve_weapon(raw)

        assert name.known
        assert name.canonical == canonical
        assert name.raw == raw
        assert name.display == canonical

    @pytest.mark.parametrize(
        ("raw", "canonical"),
        [("M15 M0D O", "M15 Mod 0"), ("MI5", "M15 Mod 0"), ("K0G0T-7", "Kogot-7")],
    )
    def test_an_ocr_slip_resolves_when_one_name_fits(
        self, catalog: Catalog, raw: str, canonical: str
    ) -> None:
        assert catalog.resolve_weapon(raw).canonical == canonical

    def test_an_ocr_slip_that_fits_two_names_stays_unknown(self, catalog: Catalog) -> None:
        name = catalog.resolve_weapon("Ar1a 5")

        assert not name.known
        assert name.canonical is None

    def test_an_unknown_name_keeps_its_raw_form(self, catalog: Catalog) -> None:
        name = catalog.resolve_weapon("  Kogot   7x ")

        assert not name.known
        assert name.raw == "  Kogot   7x "
        assert name.display == "Kogot 7x"

    def test_maps_and_teams_resolve_too(self, catalog: Catalog) -> None:
        assert catalog.resolve_map("NUKETOWN").canonical == "Nuketown 2025"
        assert catalog.resolve_team("optic").canonical == "OpTic Texas"
        assert not catalog.resolve_map("Kogot-7").known

    def test_entries_are_found_with_their_details(self, catalog: Catalog) -> None:
        weapon = catalog.find_weapon("m15")
        den = catalog.find_map("den")

        assert weapon is not None
        assert weapon.weapon_class is WeaponClass.ASSAULT_RIFLE
        assert den is not None
        assert den.ranked
        assert den.modes == frozenset(Mode)
        assert catalog.find_team("FaZe") is None


class TestApplyCatalog:
    def test_known_names_become_canonical_and_nothing_is_flagged(self, catalog: Catalog) -> None:
        raw = raw_match(Mode.SEARCH_AND_DESTROY) | {"map": "RAID"}
        raw["weapons"][0]["name"] = "m15 mod o"
        stats = validate_extraction(raw)

        applied, flags = apply_catalog(stats, catalog)

        assert flags == []
        assert applied.map == "Raid"
        assert applied.weapons[0].name == "M15 Mod 0"
        assert applied.player == stats.player
        assert applied.weapons[0].kills == stats.weapons[0].kills

    def test_unknown_names_are_kept_and_flagged(self, catalog: Catalog) -> None:
        raw = raw_match(kills=20) | {"map": "Skyline  Heights"}
        raw["weapons"] = [
            {"name": "Kogot  7x", "kills": 4, "headshots": 0, "accuracy": None},
            {"name": "Kogot-7", "kills": 4, "headshots": 0, "accuracy": None},
            {"name": "Kogot  7x", "kills": 4, "headshots": 0, "accuracy": None},
        ]

        applied, flags = apply_catalog(validate_extraction(raw), catalog)

        assert applied.map == "Skyline Heights"
        assert [weapon.name for weapon in applied.weapons] == ["Kogot 7x", "Kogot-7", "Kogot 7x"]
        assert flags == [
            CatalogFlag(kind=CatalogKind.MAP, raw="Skyline  Heights", reason="unknown"),
            CatalogFlag(kind=CatalogKind.WEAPON, raw="Kogot  7x", reason="unknown"),
        ]

    def test_a_map_outside_the_ranked_pool_of_its_mode_is_flagged(self, catalog: Catalog) -> None:
        stats = validate_extraction(raw_match(Mode.HARDPOINT) | {"map": "Nuketown"})

        applied, flags = apply_catalog(stats, catalog)

        assert applied.map == "Nuketown 2025"
        assert flags == [
            CatalogFlag(
                kind=CatalogKind.MAP, raw="Nuketown", reason=CatalogFlagReason.NOT_RANKED_IN_MODE
            )
        ]

    def test_applied_stats_still_round_trip(self, catalog: Catalog) -> None:
        applied, _ = apply_catalog(validate_extraction(raw_match(Mode.OVERLOAD)), catalog)

        assert validate_extraction(applied.to_raw()) == applied


class TestCatalogData:
    def test_an_alias_naming_two_entries_is_rejected(self) -> None:
        data = {
            "weapons": [
                {"name": "Kogot-7", "aliases": ["K7"], "class": "smg"},
                {"name": "Kogot-9", "aliases": ["k7"], "class": "smg"},
            ]
        }

        with pytest.raises(InvalidCatalog) as caught:
            Catalog.from_data(data, source="catalog.toml")

        assert caught.value.problems == ["weapons: 'k7' names both 'Kogot-7' and 'Kogot-9'"]
        assert str(caught.value).startswith("catalog.toml: ")

    def test_the_same_name_twice_is_rejected(self) -> None:
        with pytest.raises(InvalidCatalog, match="maps: 'DEN' names both 'Den' and 'DEN'"):
            Catalog(maps=[MapEntry(name="Den"), MapEntry(name="DEN")])

    def test_an_alias_may_repeat_its_own_name_or_another_kind(self) -> None:
        catalog = Catalog(
            maps=[MapEntry(name="Den", aliases=("DEN",))],
            weapons=[WeaponEntry(name="Den", weapon_class=WeaponClass.MELEE)],
        )

        assert catalog.resolve_map("den").known
        assert catalog.resolve_weapon("den").known

    def test_malformed_entries_are_named(self) -> None:
        data = {
            "maps": [{"name": "Den", "modes": ["team_deathmatch"]}],
            "weapons": [{"name": "Kogot-7", "class": "blaster", "aliases": [""]}, {"class": "smg"}],
            "vehicles": [],
        }

        with pytest.raises(InvalidCatalog) as caught:
            Catalog.from_data(data)

        assert caught.value.problems == [
            "maps[0] ('Den').modes[0]: 'team_deathmatch' is not one of "
            "'hardpoint', 'search_and_destroy' or 'overload'",
            "weapons[0] ('Kogot-7').aliases[0]: cannot be empty",
            "weapons[0] ('Kogot-7').class: 'blaster' is not one of 'assault_rifle', 'smg', "
            "'lmg', 'sniper', 'marksman', 'shotgun', 'pistol', 'launcher' or 'melee'",
            "weapons[1].name: missing",
            "vehicles: unexpected field",
        ]

    def test_a_section_that_is_not_a_list_is_named(self) -> None:
        with pytest.raises(InvalidCatalog) as caught:
            Catalog.from_data({"maps": "Den"})

        assert caught.value.problems == ["maps: expected a list"]

    def test_an_empty_catalog_knows_nothing(self) -> None:
        assert not Catalog().resolve_weapon("M15").known
