"""Babel (and the catalogs) load only where a language other than English is spoken: the API,
which speaks English only, never pays for them (about 8 MiB of resident size)."""

from __future__ import annotations

from tests.support.fresh_imports import modules_loaded_after
from tests.unit.api.test_api_imports import CREATE_THE_API


def test_creating_the_api_app_does_not_load_babel() -> None:
    assert modules_loaded_after(CREATE_THE_API, "babel") == []
