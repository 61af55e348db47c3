"""Fault injection against the real bot and API processes: Discord, Gemini, MongoDB, crashes.

One stack serves the package: the sandbox's (`open_sandbox`: the Discord emulator, the Gemini
stub, the real `debrief bot` and `debrief api`), on a SecantusDB server of its own, started with
test commands (configureFailPoint) on a fixed port, so that a test can stop it and start it
again on the same port and storage while the bot and the API keep running. (With MONGODB_URI
set, the rest of the suite runs against that server; this package still needs its own.)

Tests stay independent by acting as members of their own and by starting with a freshly
programmed Gemini stub and no Discord faults; a test that stops or replaces a process leaves a
working one behind.
"""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from beanie import init_beanie
from pydantic import SecretStr

from app.api.auth.tokens import AccessTokens
from app.core.clock import utc_now
from app.shared.db.connection import Database, connect_database
from app.shared.db.documents import DOCUMENT_MODELS
from app.shared.db.repositories import BeanieRefreshTokenRepository, BeanieUserRepository
from app.shared.embedded_db import EmbeddedDatabase, free_port
from app.shared.settings import load_settings
from devtools.discord_emulator import Member
from devtools.sandbox.orchestrator import SandboxOptions, child_environment, open_sandbox
from tests.e2e.bot.support import new_member, program_stub
from tests.e2e.faults.processes import FaultStack
from tests.e2e.faults.support import FIGURES, GEMINI_TIMEOUT_MS, Figures, figures_table
from tests.support.factories import user_fields
from tests.support.log_guard import remember_secret
from tests.support.sessions import bearer_headers

pytestmark = pytest.mark.e2e

DATABASE_NAME = "debrief_faults"
# Shared by every API process, so a token minted here works on any replica.
JWT_SECRET = "faults-jwt-secret-" + "y" * 40


@pytest.fixture(scope="package")
def database_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedDatabase]:
    """A server this package may stop and restart: same port, same storage, test commands."""
    storage = tmp_path_factory.mktemp("faults-db") / "data"
    with EmbeddedDatabase(storage=storage, port=free_port(), test_commands=True) as server:
        yield server


@pytest.fixture(scope="package")
async def database(database_server: EmbeddedDatabase) -> AsyncIterator[Database]:
    """The stack's database as the tests see it (through the app's repositories, or raw)."""
    async with connect_database(
        database_server.uri, DATABASE_NAME, app_name="debrief-e2e-faults"
    ) as opened:
        yield opened


@pytest.fixture(scope="package")
async def stack(
    database_server: EmbeddedDatabase,
    database: Database,
    discord_spec: Path | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[FaultStack]:
    remember_secret("JWT secret", JWT_SECRET)
    settings = load_settings(
        debrief_env="sandbox", debrief_data_dir=tmp_path_factory.mktemp("faults")
    )
    options = SandboxOptions(
        api_port=free_port(),
        database_uri=database_server.uri,
        database_name=DATABASE_NAME,
        require_spec=discord_spec is not None,
        # The stub reads the screenshots: tests program its answers and faults.
        reader="gemini",
        extra_env={
            "GEMINI_TIMEOUT_MS": str(GEMINI_TIMEOUT_MS),
            "JWT_SECRET": JWT_SECRET,
            # One user's load of hundreds of listings: a read limit would answer 429.
            "READ_RATE_LIMIT": "100000/minute",
            "READ_MAX_IN_FLIGHT": "1000",
        },
    )
    async with open_sandbox(settings, options) as sandbox:
        remember_secret("bot token", sandbox.emulator.token)
        remember_secret("Gemini API key", sandbox.stub.api_key)
        env = child_environment(
            settings, options, database_server.uri, sandbox.emulator, sandbox.stub, sandbox.world
        )
        faults = FaultStack(sandbox, database_server, env, bot=sandbox.child("bot"))
        try:
            yield faults
        finally:
            await faults.stop_started()
        sandbox.emulator.assert_no_spec_violations()
    # The bot and the API serving at the end (killed ones were replaced): stopped cleanly.
    for child in (faults.bot, sandbox.child("API")):
        assert child.process.returncode in (0, -signal.SIGTERM), (
            f"the {child.name} did not stop cleanly"
        )


@pytest.fixture(autouse=True)
async def _documents_on_this_database(database: Database) -> None:
    """Bind Beanie's documents to this package's database (another package may have rebound
    them to its own)."""
    await init_beanie(database=database.db, document_models=DOCUMENT_MODELS, skip_indexes=True)


@pytest.fixture(autouse=True)
def _fresh_stub_no_faults_clean_spec(stack: FaultStack) -> Iterator[None]:
    program_stub(stack.stub)
    stack.emulator.faults.clear()
    yield
    stack.emulator.faults.clear()
    stack.emulator.assert_no_spec_violations()


@pytest.fixture
def member(stack: FaultStack, request: pytest.FixtureRequest) -> Member:
    """A member of the sandbox guild of their own: no shared cooldowns, matches or hashes."""
    return new_member(stack.sandbox, request.node.name)


@pytest.fixture
async def api_headers(member: Member) -> dict[str, str]:
    """Bearer headers for `member` on any API process of the stack."""
    await BeanieUserRepository().upsert(user_fields(member.user.id))
    settings = load_settings(debrief_env="sandbox", jwt_secret=SecretStr(JWT_SECRET))
    tokens = AccessTokens(settings, utc_now)
    return await bearer_headers(tokens, BeanieRefreshTokenRepository(), member.user.id)


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    """Measurements of this test (retries, recovery times), printed at the end of the run."""
    return Figures(request.node.name)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("fault figures (measured, not asserted)")
        for line in figures_table(FIGURES):
            terminalreporter.write_line(line)
