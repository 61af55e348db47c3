"""The API behind a real uvicorn: its access log never shows the OAuth callback's query."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from app.api.app import create_app
from app.shared.settings import Settings
from tests.e2e.api.secrets_guard import SecretsGuard, guarding

pytestmark = pytest.mark.e2e

CODE = "one-time-code-0123456789"
STATE = "state-value-0123456789ab"


@pytest.fixture(scope="module")
def api_settings(api_settings: Settings) -> Settings:
    # Credentials that are never used: the callback fails its state check before Discord.
    return api_settings.model_copy(
        update={
            "discord_client_id": "1234",
            "discord_client_secret": SecretStr("unused-client-secret-0123"),
        }
    )


@pytest.fixture
def guard(caplog: pytest.LogCaptureFixture, api_settings: Settings) -> Iterator[SecretsGuard]:
    with guarding(caplog) as secrets_guard:
        secrets_guard.add_settings(api_settings)
        yield secrets_guard


@pytest.fixture
async def served_api(api_settings: Settings, app: FastAPI) -> AsyncIterator[str]:
    """A second app on the module's database (the `app` fixture drops it afterwards)."""
    config = uvicorn.Config(
        create_app(api_settings), host="127.0.0.1", port=0, log_config=None, lifespan="on"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "uvicorn stopped during start-up"
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


async def test_the_callback_query_never_reaches_the_access_log(
    served_api: str, guard: SecretsGuard, caplog: pytest.LogCaptureFixture
) -> None:
    guard.add("OAuth code", CODE)
    guard.add("OAuth state", STATE)

    async with httpx.AsyncClient(base_url=served_api, trust_env=False) as http:
        callback = await http.get("/api/v1/auth/callback", params={"code": CODE, "state": STATE})
        health = await http.get("/healthz", params={"probe": "kubelet"})

    assert callback.status_code == 400  # no login session: refused, but logged
    assert health.status_code == 200
    # The raw messages, before the scrubbing formatter: the filter alone must hide the query.
    lines = [record.getMessage() for record in caplog.records if record.name == "uvicorn.access"]
    assert any('"GET /api/v1/auth/callback?[redacted] HTTP/1.1" 400' in line for line in lines)
    assert any("/healthz?probe=kubelet" in line for line in lines)
    assert not any(CODE in line or STATE in line for line in lines)
