"""The dashboard in Debian's Chromium: the real API app behind uvicorn on a loopback port,
"Login with Discord" through the Discord emulator's OAuth2, matches in the test database.

Screenshots are kept as test artifacts in DEBRIEF_TEST_ARTIFACTS (default:
test-artifacts/ at the repository root, which git ignores).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from playwright.async_api import Browser, Error, Page, async_playwright
from pydantic import SecretStr

from app.api.app import create_app
from app.api.server import server_config
from app.shared.embedded_db import free_port
from app.shared.runtime import Runtime
from app.shared.settings import Settings, load_settings
from devtools.discord_emulator import DiscordEmulator
from tests.e2e.sandbox.conftest import CHROMIUM, CHROMIUM_ARGS, UI_TIMEOUT_MS, VIEWPORT
from tests.support.discord_spec import emulator_config

REPOSITORY = Path(__file__).resolve().parents[3]
JWT_SECRET = "dashboard-jwt-secret-" + "y" * 40


@pytest.fixture(scope="module")
def artifacts() -> Path:
    root = Path(os.environ.get("DEBRIEF_TEST_ARTIFACTS", REPOSITORY / "test-artifacts"))
    folder = root / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def api_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def base_url(api_port: int) -> str:
    return f"http://127.0.0.1:{api_port}"


@pytest.fixture(scope="module")
async def emulator(base_url: str) -> AsyncIterator[DiscordEmulator]:
    # Only our exact callback is registered, as in the Discord developer portal.
    config = emulator_config(
        token=secrets.token_urlsafe(24), redirect_uris=(f"{base_url}/api/v1/auth/callback",)
    )
    async with DiscordEmulator(config) as running:
        yield running
        running.assert_no_spec_violations()


@pytest.fixture(scope="module")
def settings(
    mongodb_uri: str,
    tmp_path_factory: pytest.TempPathFactory,
    base_url: str,
    emulator: DiscordEmulator,
) -> Settings:
    return load_settings(
        # Plain http on loopback, as in development: cookies without Secure.
        debrief_env="development",
        mongodb_uri=SecretStr(mongodb_uri),
        mongodb_database=f"debrief_dashboard_{uuid.uuid4().hex[:8]}",
        jwt_secret=SecretStr(JWT_SECRET),
        debrief_data_dir=tmp_path_factory.mktemp("dashboard"),
        public_base_url=base_url,
        discord_api_base_url=emulator.api_base_url,
        discord_client_id=str(emulator.state.application.id),
        discord_client_secret=SecretStr(emulator.config.client_secret),
        # The API lists the bot's servers and checks digest channels with it.
        discord_bot_token=SecretStr(emulator.token),
    )


@pytest.fixture(scope="module")
async def app(settings: Settings, api_port: int) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application):
        config = server_config(application, settings, host="127.0.0.1", port=api_port)
        config.lifespan = "off"
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            assert not serving.done(), "uvicorn stopped during start-up"
            await asyncio.sleep(0.01)
        yield application
        server.should_exit = True
        await serving
        runtime: Runtime = application.state.runtime
        await runtime.database.client.drop_database(settings.mongodb_database)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh desktop-sized page; the test fails if a page's script threw anything."""
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US", timezone_id="UTC")
    context.set_default_timeout(UI_TIMEOUT_MS)
    opened = await context.new_page()
    script_errors: list[Error] = []
    opened.on("pageerror", lambda error: script_errors.append(error))
    yield opened
    await context.close()
    assert not script_errors, f"a page's script failed: {script_errors}"
