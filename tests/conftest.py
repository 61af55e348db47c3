"""Session-wide fixtures: one MongoDB wire server for the whole run.

By default a SecantusDB server is started on a free port with test commands enabled
(configureFailPoint). Set MONGODB_URI to run the same tests against a real mongod instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.devtools.embedded_db import EmbeddedDatabase
from tests.support.log_guard import SuiteLogCapture


@pytest.fixture(scope="session")
def mongodb_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("MONGODB_URI")
    if external:
        yield external
        return
    storage: Path = tmp_path_factory.mktemp("secantus") / "data"
    with EmbeddedDatabase(storage=storage, test_commands=True) as server:
        yield server.uri


@pytest.fixture(scope="session", autouse=True)
def no_secret_reaches_the_logs() -> Iterator[None]:
    """Over the whole run: no registered secret and no JWT in any log line (INFO and up)."""
    capture = SuiteLogCapture()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(capture)
    root.setLevel(min(previous_level or logging.INFO, logging.INFO))
    try:
        yield
    finally:
        root.removeHandler(capture)
        root.setLevel(previous_level)
    leaks = capture.leaks()
    assert not leaks, f"secrets reached the logs ({len(capture.lines)} lines read): {leaks[:10]}"
