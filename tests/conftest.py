"""Session-wide fixtures: one MongoDB wire server for the run, and Discord's spec.

By default a SecantusDB server is started on a free port with test commands enabled
(configureFailPoint); the integration tests start one of their own (tests/integration/conftest.py).
Set MONGODB_URI to run the same tests against a real mongod instead.

Discord's OpenAPI spec lives outside the repository; the run's header says whether it was
found, and so whether the emulators validate request bodies against it
(tests/support/discord_spec.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.support import discord_spec as spec
from tests.support.log_guard import SuiteLogCapture
from tests.support.wire_server import wire_server

# Properties are checked by their examples, never by how fast a busy machine produces them: no
# deadline and no speed health checks, here and in every @settings that does not say otherwise.
settings.register_profile(
    "debrief",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
settings.load_profile("debrief")


def pytest_report_header() -> str:
    return spec.report_header()


@pytest.fixture(scope="session")
def discord_spec() -> Path | None:
    """Discord's spec when found (the emulators then validate against it), else None."""
    return spec.discord_spec()


@pytest.fixture(scope="session")
def mongodb_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with wire_server(tmp_path_factory) as uri:
        yield uri


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
