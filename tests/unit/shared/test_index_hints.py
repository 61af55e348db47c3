"""Which server gets index hints: MongoDB does, SecantusDB (where a hinted read walks the whole
index) does not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.shared.db.hints import Backend, backend_of, current_backend, index_hint, use_backend


@pytest.fixture(autouse=True)
def restore_backend() -> Iterator[None]:
    before = current_backend()
    yield
    use_backend(before)


def test_secantusdb_is_known_by_its_own_version_in_build_info() -> None:
    assert backend_of({"version": "8.2.11", "secantusVersion": "0.7.0b3"}) is Backend.SECANTUS
    assert backend_of({"version": "8.0.4", "gitVersion": "abc"}) is Backend.MONGODB


def test_only_mongodb_queries_name_their_index() -> None:
    use_backend(Backend.MONGODB)
    assert index_hint("user_newest") == {"hint": "user_newest"}

    use_backend(Backend.SECANTUS)
    assert index_hint("user_newest") == {}


def test_only_mongodb_bounds_an_or_of_ranges_in_one_query() -> None:
    assert Backend.MONGODB.bounds_several_ranges
    assert not Backend.SECANTUS.bounds_several_ranges
