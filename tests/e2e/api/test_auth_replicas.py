"""Ending a session across API replicas: at once where it happens, within
SESSION_CHECK_TTL_S on the others (each caches "still active" that long)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from app.api.app import create_app
from app.api.auth.tokens import AccessTokens
from app.shared.runtime import Runtime
from app.shared.settings import Settings
from tests.e2e.api.conftest import API_ORIGIN
from tests.support.factories import user_fields
from tests.support.sessions import bearer_headers

pytestmark = pytest.mark.e2e

CHECK_TTL_S = 3
ME = "/api/v1/auth/me"


@pytest.fixture(scope="module")
async def replicas(api_settings: Settings) -> AsyncIterator[list[FastAPI]]:
    """Two API processes' apps on one database of their own."""
    settings = api_settings.model_copy(
        update={
            "session_check_ttl_s": CHECK_TTL_S,
            "mongodb_database": f"debrief_replicas_{uuid.uuid4().hex[:8]}",
        }
    )
    apps = [create_app(settings) for _ in range(2)]
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(LifespanManager(app))
        yield apps
        runtime: Runtime = apps[0].state.runtime
        await runtime.database.client.drop_database(settings.mongodb_database)


async def status_on(replica: FastAPI, method: str, url: str, headers: dict[str, str]) -> int:
    transport = httpx.ASGITransport(app=replica)
    async with httpx.AsyncClient(transport=transport, base_url=API_ORIGIN) as client:
        return (await client.request(method, url, headers=headers)).status_code


async def test_a_logout_reaches_the_other_replicas_within_the_check_ttl(
    replicas: list[FastAPI],
) -> None:
    first, second = replicas
    runtime: Runtime = first.state.runtime
    user = uuid.uuid4().int >> 66
    await runtime.dependencies.users.upsert(user_fields(user))
    tokens: AccessTokens = first.state.access_tokens
    ended = await bearer_headers(tokens, runtime.dependencies.refresh_tokens, user)
    kept = await bearer_headers(tokens, runtime.dependencies.refresh_tokens, user)
    assert await status_on(second, "GET", ME, ended) == 200  # the second replica caches it

    assert await status_on(first, "POST", "/api/v1/auth/logout", ended) == 204

    assert await status_on(first, "GET", ME, ended) == 401  # at once where it happened
    # The other replica may still answer from its cache until its TTL runs out (not asserted:
    # on a busy machine the TTL can pass before the next request), but not after.
    await asyncio.sleep(CHECK_TTL_S + 0.2)
    assert await status_on(second, "GET", ME, ended) == 401
    assert await status_on(second, "GET", ME, kept) == 200
