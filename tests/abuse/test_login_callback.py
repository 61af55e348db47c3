"""Arbitrary query strings on the login callback, against the real app, Authlib and the
Discord emulator: a login or a 4xx problem, never a 5xx.

Keys are the callback's own (`code`, `state`, `error`, ...) or anything; values are any
text or raw bytes; any of them may repeat. Half the examples carry this browser's genuine
`code` and `state` (either, both, or one twice) among the noise, so the fuzzing reaches
Authlib and the token exchange.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from urllib.parse import quote_from_bytes

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from app.api.app import create_app
from app.api.schemas.problems import PROBLEM_MEDIA_TYPE
from app.shared.runtime import Runtime
from app.shared.settings import Settings, load_settings
from devtools.discord_emulator import DiscordEmulator
from tests.e2e.api.discord_login import (
    API_BASE,
    discord_approves,
    discord_emulator,
    new_player,
    pointed_at,
)
from tests.support.log_guard import remember_secret

pytestmark = pytest.mark.e2e

CALLBACK = "/api/v1/auth/callback"
JWT_SECRET = "abuse-jwt-secret-" + "y" * 40

keys = st.sampled_from(["code", "state", "error", "error_description", "next", "iss"]) | st.text(
    max_size=10
)
# httpx cannot encode lone surrogates; raw bytes below cover what a browser can't send.
values = st.text(st.characters(blacklist_categories=["Cs"]), max_size=600)
pairs = st.lists(st.tuples(keys, values), max_size=6)
raw_queries = st.lists(st.tuples(st.binary(max_size=20), st.binary(max_size=300)), max_size=4)


@pytest.fixture(scope="module")
async def emulator() -> AsyncIterator[DiscordEmulator]:
    async with discord_emulator() as running:
        yield running


@pytest.fixture(scope="module")
def api_settings(
    mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory, emulator: DiscordEmulator
) -> Settings:
    remember_secret("JWT secret", JWT_SECRET)
    settings = load_settings(
        debrief_env="production",
        mongodb_uri=SecretStr(mongodb_uri),
        mongodb_database=f"debrief_abuse_{uuid.uuid4().hex[:8]}",
        jwt_secret=SecretStr(JWT_SECRET),
        debrief_data_dir=tmp_path_factory.mktemp("abuse"),
        public_base_url=API_BASE,
    )
    return pointed_at(settings, emulator)


@pytest.fixture(scope="module")
async def app(api_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(api_settings)
    async with LifespanManager(application):
        yield application
        runtime: Runtime = application.state.runtime
        await runtime.database.client.drop_database(api_settings.mongodb_database)


async def genuine_login(client: httpx.AsyncClient, emulator: DiscordEmulator) -> list[str]:
    """Start a login in this browser and have Discord approve it: its code and state."""
    new_player(emulator)
    started = await client.get("/api/v1/auth/login")
    callback = httpx.URL(await discord_approves(started.headers["location"]))
    return [f"code={callback.params['code']}", f"state={callback.params['state']}"]


def assert_login_or_problem(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        assert len(response.json()["detail"]) <= 100
    else:
        assert response.status_code == 303


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@FUZZ
@given(noise=pairs, raw=raw_queries, genuine=st.booleans(), data=st.data())
async def test_any_callback_query_is_a_login_or_a_4xx_problem(
    app: FastAPI,
    emulator: DiscordEmulator,
    noise: list[tuple[str, str]],
    raw: list[tuple[bytes, bytes]],
    genuine: bool,
    data: st.DataObject,
) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API_BASE) as client:
        parts = [str(httpx.QueryParams([pair])) for pair in noise]
        parts += [f"{quote_from_bytes(k)}={quote_from_bytes(v)}" for k, v in raw]
        if genuine:
            genuine_parts = await genuine_login(client, emulator)
            for part in data.draw(st.lists(st.sampled_from(genuine_parts), max_size=3)):
                parts.insert(data.draw(st.integers(0, len(parts))), part)

        response = await client.get(CALLBACK + "?" + "&".join(parts))

    assert_login_or_problem(response)
