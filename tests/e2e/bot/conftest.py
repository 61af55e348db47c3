"""The real bot and API processes against the Discord emulator and the Gemini stub.

The stack is the sandbox's own (`open_sandbox`), minus the web console, on the test session's
database server, with Discord's spec validation required.
"""

from __future__ import annotations

import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.devtools.discord_emulator.config import resolve_spec_path
from app.devtools.embedded_db import free_port
from app.devtools.sandbox.orchestrator import Sandbox, SandboxOptions, open_sandbox
from app.shared.settings import load_settings

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def discord_spec() -> Path:
    path = resolve_spec_path(None)
    if not path.is_file():
        pytest.skip(f"Discord's OpenAPI spec is not at {path}; set DISCORD_API_SPEC to run these")
    return path


@pytest.fixture(scope="module")
async def stack(
    mongodb_uri: str, discord_spec: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Sandbox]:
    settings = load_settings(
        debrief_env="sandbox", debrief_data_dir=tmp_path_factory.mktemp("bot-e2e")
    )
    options = SandboxOptions(
        api_port=free_port(),
        database_uri=mongodb_uri,
        database_name=f"debrief_e2e_{uuid.uuid4().hex[:8]}",
        require_spec=True,
    )
    async with open_sandbox(settings, options) as sandbox:
        yield sandbox
        sandbox.emulator.assert_no_spec_violations()
    for child in sandbox.children:
        # uvicorn shuts down gracefully, then re-raises SIGTERM so its status tells why it ended.
        assert child.process.returncode in (0, -signal.SIGTERM), (
            f"the {child.name} did not stop cleanly"
        )
