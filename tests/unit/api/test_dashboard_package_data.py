"""The wheel (and so the API image) carries every template and static file of the dashboard:
they live in folders that are not packages, so pyproject.toml must name them."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).parents[3]
API = ROOT / "app" / "api"


def test_every_dashboard_file_matches_the_api_packages_data_patterns() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["app.api"]
    files = [
        path.relative_to(API).as_posix()
        for folder in ("templates", "static")
        for path in (API / folder).iterdir()
    ]

    assert files
    assert [f for f in files if not any(fnmatch(f, p) for p in patterns)] == []
