"""The packaged catalog file, and loading catalog files from disk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.core.game import Catalog, CatalogEntry, InvalidCatalog, Mode, WeaponClass, normalise_name
from app.shared.catalog.loader import load_catalog


@pytest.fixture(scope="module")
def packaged() -> Catalog:
    return load_catalog()


def _owners_by_key(entries: Sequence[CatalogEntry]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for name in entry.names:
            owners[normalise_name(name)].add(entry.name)
    return owners


class TestPackagedCatalog:
    def test_it_has_maps_weapons_and_teams(self, packaged: Catalog) -> None:
        assert len(packaged.maps) >= 12
        assert len(packaged.weapons) >= 20
        assert packaged.teams

    @pytest.mark.parametrize("kind", ["maps", "weapons", "teams"])
    def test_no_alias_names_two_entries_of_a_kind(self, packaged: Catalog, kind: str) -> None:
        shared = {
            key: owners
            for key, owners in _owners_by_key(getattr(packaged, kind)).items()
            if len(owners) > 1
        }

        assert shared == {}

    @pytest.mark.parametrize("mode", list(Mode))
    def test_every_ranked_mode_has_maps(self, packaged: Catalog, mode: Mode) -> None:
        assert sum(mode in entry.modes for entry in packaged.maps) >= 3

    def test_every_weapon_class_is_represented(self, packaged: Catalog) -> None:
        assert {entry.weapon_class for entry in packaged.weapons} == set(WeaponClass)

    @pytest.mark.parametrize(
        ("raw", "canonical"),
        [
            ("M15", "M15 Mod 0"),
            ("M15 MOD O", "M15 Mod 0"),
            ("KOGOT 7", "Kogot-7"),
            ("Jager 45", "Jäger 45"),
            ("Velox S.7", "Velox 5.7"),
            ("VS RECON", "VS Recon"),
        ],
    )
    def test_common_spellings_resolve(self, packaged: Catalog, raw: str, canonical: str) -> None:
        assert packaged.resolve_weapon(raw).canonical == canonical

    def test_the_ranked_pool(self, packaged: Catalog) -> None:
        den = packaged.find_map("Den")
        raid = packaged.find_map("Raid")
        express = packaged.find_map("Express")

        assert den is not None
        assert den.modes == frozenset(Mode)
        assert raid is not None
        assert raid.modes == {Mode.SEARCH_AND_DESTROY}
        assert express is not None
        assert not express.ranked


class TestCatalogFiles:
    def test_a_file_given_by_path_is_loaded(self, tmp_path: Path) -> None:
        path = tmp_path / "catalog.toml"
        path.write_text('[[weapons]]\nname = "Kogot-7"\nclass = "smg"\n', encoding="utf-8")

        catalog = load_catalog(path)

        assert catalog.resolve_weapon("kogot 7").canonical == "Kogot-7"
        assert catalog.maps == ()

    def test_invalid_toml_names_the_file_and_the_line(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.toml"
        path.write_text('[[maps]]\nname = "Den\n', encoding="utf-8")

        with pytest.raises(InvalidCatalog) as caught:
            load_catalog(path)

        assert caught.value.source == str(path)
        assert "not valid TOML" in caught.value.problems[0]
        assert "line 2" in caught.value.problems[0]

    def test_a_malformed_entry_is_named(self, tmp_path: Path) -> None:
        path = tmp_path / "catalog.toml"
        path.write_text(
            '[[weapons]]\nname = "Kogot-7"\nclass = "smg"\n\n'
            '[[weapons]]\nname = "Ryden 45K"\nclass = "blaster"\n',
            encoding="utf-8",
        )

        with pytest.raises(InvalidCatalog) as caught:
            load_catalog(path)

        assert str(caught.value).startswith(f"{path}: weapons[1] ('Ryden 45K').class: 'blaster'")

    def test_a_missing_file_is_reported(self, tmp_path: Path) -> None:
        path = tmp_path / "missing.toml"

        with pytest.raises(InvalidCatalog) as caught:
            load_catalog(path)

        assert caught.value.problems == ["cannot read the file (No such file or directory)"]

    def test_a_file_that_is_not_text_is_reported(self, tmp_path: Path) -> None:
        path = tmp_path / "catalog.toml"
        path.write_bytes(b"\xff\xfe\x00name")

        with pytest.raises(InvalidCatalog, match="not UTF-8 text"):
            load_catalog(path)
