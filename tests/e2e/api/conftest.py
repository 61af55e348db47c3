"""The real API app (create_app + lifespan) over ASGI, on the test session's database.

`client` talks to https://testserver (cookies are Secure) and, like a browser on one of our
pages, names that origin in `Origin`; `sign_in` creates a user with a server snapshot and a
session, and returns Bearer headers for them.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pydantic import SecretStr

from app.api.app import create_app
from app.api.auth.tokens import AccessTokens
from app.core.accounts import GuildMembership
from app.shared.runtime import Runtime
from app.shared.settings import Settings, load_settings
from tests.support.factories import user_fields
from tests.support.log_guard import remember_secret
from tests.support.sessions import bearer_headers

pytestmark = pytest.mark.e2e

JWT_SECRET = "test-jwt-secret-" + "x" * 40
API_ORIGIN = "https://testserver"
SignIn = Callable[..., Awaitable[dict[str, str]]]


@pytest.fixture(scope="module")
def api_settings(mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    remember_secret("JWT secret", JWT_SECRET)
    return load_settings(
        debrief_env="production",
        mongodb_uri=SecretStr(mongodb_uri),
        mongodb_database=f"debrief_api_{uuid.uuid4().hex[:8]}",
        jwt_secret=SecretStr(JWT_SECRET),
        debrief_data_dir=tmp_path_factory.mktemp("api"),
        public_base_url=API_ORIGIN,
        # These modules read far more than a person does; test_rate_limits covers the limits.
        read_rate_limit="100000/minute",
        export_rate_limit="100000/minute",
    )


@pytest.fixture(scope="module")
async def app(api_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(api_settings)
    async with LifespanManager(application):
        yield application
        runtime: Runtime = application.state.runtime
        await runtime.database.client.drop_database(api_settings.mongodb_database)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=API_ORIGIN, headers={"Origin": API_ORIGIN}
    ) as http:
        yield http


@pytest.fixture
def runtime(app: FastAPI) -> Runtime:
    runtime: Runtime = app.state.runtime
    return runtime


@pytest.fixture
def sign_in(app: FastAPI, runtime: Runtime) -> SignIn:
    """Create (or refresh) a user with these server memberships; Bearer headers for them."""

    async def sign_in(discord_id: int, guilds: Sequence[GuildMembership] = ()) -> dict[str, str]:
        await runtime.dependencies.users.upsert(user_fields(discord_id, guilds=list(guilds)))
        tokens: AccessTokens = app.state.access_tokens
        return await bearer_headers(tokens, runtime.dependencies.refresh_tokens, discord_id)

    return sign_in
