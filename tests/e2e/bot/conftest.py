"""The real bot and API processes against the Discord emulator and the Gemini stub.

The stack is the sandbox's own (`open_sandbox`), minus the web console, on the test session's
database server, validating against Discord's spec whenever it is found. One stack serves every
test here (starting it costs seconds); tests stay independent by acting as members of their own
(`member`, `stranger`), by starting with a freshly programmed Gemini stub, and by checking the
spec after each test.
"""

from __future__ import annotations

import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from beanie import init_beanie

from app.shared.db.connection import Database, connect_database
from app.shared.db.documents import DOCUMENT_MODELS
from app.shared.embedded_db import free_port
from app.shared.settings import load_settings
from devtools.discord_emulator import Member
from devtools.sandbox.orchestrator import Sandbox, SandboxOptions, open_sandbox
from tests.e2e.bot.support import (
    DEBRIEF_CONCURRENCY,
    DIGEST_CHECK_INTERVAL_S,
    new_member,
    program_stub,
)
from tests.support.log_guard import remember_secret

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="package")
def database_name() -> str:
    return f"debrief_e2e_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="package")
async def database(mongodb_uri: str, database_name: str) -> AsyncIterator[Database]:
    """The bot's own database, seen through the app's repositories (and raw, via `.db`).

    Opened before the stack and dropped after it, once no bot is left to use it.
    """
    async with connect_database(mongodb_uri, database_name, app_name="debrief-e2e") as opened:
        yield opened
        await opened.client.drop_database(database_name)


@pytest.fixture(scope="package")
async def stack(
    mongodb_uri: str,
    database: Database,
    discord_spec: Path | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Sandbox]:
    settings = load_settings(
        debrief_env="sandbox", debrief_data_dir=tmp_path_factory.mktemp("bot-e2e")
    )
    options = SandboxOptions(
        api_port=free_port(),
        database_uri=mongodb_uri,
        database_name=database.db.name,
        require_spec=discord_spec is not None,
        # The stub reads the screenshots: tests program its answers and faults.
        reader="gemini",
        extra_env={
            "DIGEST_CHECK_INTERVAL_S": str(DIGEST_CHECK_INTERVAL_S),
            # Two places, so that a test can fill them and make a third debrief wait in line.
            "DEBRIEF_CONCURRENCY": str(DEBRIEF_CONCURRENCY),
            # The sandbox answers /ask locally; these tests program the stub to plan.
            "ASK_PLANNER": "gemini",
        },
    )
    async with open_sandbox(settings, options) as sandbox:
        remember_secret("bot token", sandbox.emulator.token)
        remember_secret("Gemini API key", sandbox.stub.api_key)
        yield sandbox
        sandbox.emulator.assert_no_spec_violations()
    for child in sandbox.children:
        # uvicorn shuts down gracefully, then re-raises SIGTERM so its status tells why it ended.
        assert child.process.returncode in (0, -signal.SIGTERM), (
            f"the {child.name} did not stop cleanly"
        )


@pytest.fixture(autouse=True)
async def _documents_on_this_database(database: Database) -> None:
    """Bind Beanie's documents to this test's database before it runs.

    Beanie binds them once per process, to the database connected last; a module with a stack
    of its own may have bound them elsewhere since this package's database was connected.
    """
    await init_beanie(database=database.db, document_models=DOCUMENT_MODELS, skip_indexes=True)


@pytest.fixture(autouse=True)
def _fresh_stub_and_clean_spec(stack: Sandbox) -> Iterator[None]:
    """Each test starts with the stub reading the samples and writing debriefs, and nothing
    recorded; and no test may leave a request behind that Discord would have refused."""
    program_stub(stack.stub)
    yield
    stack.emulator.assert_no_spec_violations()


@pytest.fixture
def member(stack: Sandbox, request: pytest.FixtureRequest) -> Member:
    """A member of the sandbox guild of their own: no shared cooldowns, matches or hashes."""
    return new_member(stack, request.node.name)


@pytest.fixture
def stranger(stack: Sandbox, request: pytest.FixtureRequest) -> Member:
    """Another everyday member (no Manage Server) of the same guild."""
    return new_member(stack, f"stranger-{request.node.name}")
