"""Session-wide fixtures: one MongoDB wire server for the whole run.

By default a SecantusDB server is started on a free port with test commands enabled
(configureFailPoint). Set MONGODB_URI to run the same tests against a real mongod instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.devtools.embedded_db import EmbeddedDatabase


@pytest.fixture(scope="session")
def mongodb_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("MONGODB_URI")
    if external:
        yield external
        return
    storage: Path = tmp_path_factory.mktemp("secantus") / "data"
    with EmbeddedDatabase(storage=storage, test_commands=True) as server:
        yield server.uri
