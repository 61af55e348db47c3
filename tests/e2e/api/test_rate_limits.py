"""Rate limits hold across API replicas: two apps on one database share the counts."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from app.api.app import create_app
from app.api.auth.tokens import AccessTokens
from app.api.ratelimit import LoginRateLimit
from app.core.accounts import GuildMembership
from app.core.guilds import GuildConfig
from app.shared.runtime import Runtime
from app.shared.settings import Settings, SettingsError, load_settings
from tests.support.factories import user_fields
from tests.support.sessions import bearer_headers

ASK_LIMIT = 3
LOGIN_LIMIT = 2
LOGIN_PROBE = "/test-only/login-probe"
Replica = Callable[..., httpx.AsyncClient]


def snowflake() -> int:
    return uuid.uuid4().int >> 66


@pytest.fixture(scope="module")
async def replicas(api_settings: Settings) -> AsyncIterator[list[FastAPI]]:
    """Two API processes' apps, on their own database so the limits start from zero."""
    settings = api_settings.model_copy(
        update={
            "ask_rate_limit": f"{ASK_LIMIT}/minute",
            "login_rate_limit": f"{LOGIN_LIMIT} per minute",
            "mongodb_database": f"debrief_limits_{uuid.uuid4().hex[:8]}",
        }
    )
    apps = [create_app(settings) for _ in range(2)]
    for app in apps:
        # The login routes are another module's; this stands in for them.
        app.add_api_route(LOGIN_PROBE, lambda: {"ok": True}, dependencies=[LoginRateLimit])
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(LifespanManager(app))
        yield apps
        runtime: Runtime = apps[0].state.runtime
        await runtime.database.client.drop_database(settings.mongodb_database)


@pytest.fixture
async def replica(replicas: list[FastAPI]) -> AsyncIterator[Replica]:
    async with AsyncExitStack() as stack:

        def open_client(index: int, client_ip: str = "127.0.0.1") -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=replicas[index], client=(client_ip, 50000))
            client = httpx.AsyncClient(transport=transport, base_url="https://testserver")
            stack.push_async_callback(client.aclose)
            return client

        yield open_client


async def member_of_a_server_without_cooldown(
    replicas: list[FastAPI],
) -> tuple[int, dict[str, str]]:
    runtime: Runtime = replicas[0].state.runtime
    guild, user = snowflake(), snowflake()
    # The server's own /ask cooldown would answer 429 first; these tests are about the API's.
    await runtime.dependencies.guild_configs.save(GuildConfig(guild_id=guild, ask_cooldown_s=0))
    await runtime.dependencies.users.upsert(
        user_fields(user, guilds=[GuildMembership(guild_id=guild, name="Home")])
    )
    tokens: AccessTokens = replicas[0].state.access_tokens
    return guild, await bearer_headers(tokens, runtime.dependencies.refresh_tokens, user)


async def test_the_ask_limit_is_per_user_and_shared_by_every_replica(
    replicas: list[FastAPI], replica: Replica
) -> None:
    guild, me = await member_of_a_server_without_cooldown(replicas)
    _, someone_else = await member_of_a_server_without_cooldown(replicas)
    body = {"question": "my kills?", "guild_id": str(guild)}
    first, second = replica(0), replica(1)

    # No AI is configured: each allowed question ends in a 503, but it counts.
    allowed = [
        await (first if i % 2 else second).post("/api/v1/ask", json=body, headers=me)
        for i in range(ASK_LIMIT)
    ]
    refused = await first.post("/api/v1/ask", json=body, headers=me)
    refused_elsewhere = await second.post("/api/v1/ask", json=body, headers=me)
    other_user = await second.post(
        "/api/v1/ask", json={**body, "guild_id": str(snowflake())}, headers=someone_else
    )

    assert [r.status_code for r in allowed] == [503] * ASK_LIMIT
    for response in (refused, refused_elsewhere):
        assert response.status_code == 429
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/rate-limited"
        assert 1 <= int(response.headers["retry-after"]) <= 60
    assert other_user.status_code == 404  # not limited: only a server they are not in


async def test_the_login_limit_is_per_client_address_and_shared_by_every_replica(
    replica: Replica,
) -> None:
    address, other_address = "203.0.113.7", "203.0.113.8"
    statuses = [
        (await replica(i % 2, address).get(LOGIN_PROBE)).status_code for i in range(LOGIN_LIMIT + 1)
    ]
    refused = await replica(1, address).get(LOGIN_PROBE)
    other = await replica(0, other_address).get(LOGIN_PROBE)

    assert statuses == [200] * LOGIN_LIMIT + [429]
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert other.status_code == 200


@pytest.mark.parametrize("value", ["often", "0/minute", "10/fortnight"])
def test_a_limit_that_means_nothing_stops_the_settings(value: str) -> None:
    with pytest.raises(SettingsError, match="ASK_RATE_LIMIT"):
        load_settings(debrief_env="development", ask_rate_limit=value)
