"""The MongoDB wire server the tests use: MONGODB_URI when set, else a SecantusDB of its own."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.shared.embedded_db import EmbeddedDatabase


@contextlib.contextmanager
def wire_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with test commands (configureFailPoint) for as long as it is used."""
    external = os.environ.get("MONGODB_URI")
    if external:
        yield external
        return
    storage: Path = tmp_path_factory.mktemp("secantus") / "data"
    with EmbeddedDatabase(storage=storage, test_commands=True) as server:
        yield server.uri
