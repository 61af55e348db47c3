"""The wheel (and so both images) carries every catalog: app/locales is not a package, so
pyproject.toml must name its files, and the bot reads them where the package is installed."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from app.core.i18n import LOCALES_DIR, Language
from app.core.i18n.catalogs import po_path

ROOT = Path(__file__).parents[3]
APP = ROOT / "app"


def test_every_catalog_matches_the_app_packages_data_patterns() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["app"]
    catalogs = [path.relative_to(APP).as_posix() for path in LOCALES_DIR.rglob("*.po")]

    assert catalogs
    assert [c for c in catalogs if not any(fnmatch(c, p) for p in patterns)] == []


def test_every_language_but_the_source_one_has_its_catalog() -> None:
    for language in Language:
        assert po_path(language).exists() == (language is not Language.ENGLISH), language
