"""Rate limits hold across API replicas: two apps on one database share the counts."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

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
from tests.e2e.api.served import served
from tests.support.factories import user_fields
from tests.support.sessions import bearer_headers

ASK_LIMIT = 3
LOGIN_LIMIT = 2
READ_LIMIT = 6
EXPORT_LIMIT = 2
EXPORTS_PER_PROCESS = 2
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
            "read_rate_limit": f"{READ_LIMIT}/minute",
            "export_rate_limit": f"{EXPORT_LIMIT}/minute",
            "export_max_concurrent": EXPORTS_PER_PROCESS,
            # Counted here are the rate limits; reads in flight have a test of their own.
            "read_max_in_flight": 1000,
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

    # No AI is configured: the local planner answers each allowed question, and each counts.
    allowed = [
        await (first if i % 2 else second).post("/api/v1/ask", json=body, headers=me)
        for i in range(ASK_LIMIT)
    ]
    refused = await first.post("/api/v1/ask", json=body, headers=me)
    refused_elsewhere = await second.post("/api/v1/ask", json=body, headers=me)
    other_user = await second.post(
        "/api/v1/ask", json={**body, "guild_id": str(snowflake())}, headers=someone_else
    )

    assert [r.status_code for r in allowed] == [200] * ASK_LIMIT
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


async def signed_in(replicas: list[FastAPI]) -> dict[str, str]:
    runtime: Runtime = replicas[0].state.runtime
    user = snowflake()
    await runtime.dependencies.users.upsert(user_fields(user))
    tokens: AccessTokens = replicas[0].state.access_tokens
    return await bearer_headers(tokens, runtime.dependencies.refresh_tokens, user)


def assert_rate_limited(response: httpx.Response, at_most_s: int = 60) -> None:
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/rate-limited"
    assert 1 <= int(response.headers["retry-after"]) <= at_most_s


async def test_a_burst_of_reads_is_cut_at_the_limit_while_another_user_is_served(
    replicas: list[FastAPI], replica: Replica
) -> None:
    greedy, patient = await signed_in(replicas), await signed_in(replicas)
    clients = [replica(0), replica(1)]
    burst = 4 * READ_LIMIT

    answers = await asyncio.gather(
        *(clients[i % 2].get("/api/v1/matches", headers=greedy) for i in range(burst))
    )
    other_user = await clients[0].get("/api/v1/matches", headers=patient)

    statuses = Counter(a.status_code for a in answers)
    assert statuses == {200: READ_LIMIT, 429: burst - READ_LIMIT}, "counted across replicas"
    for refused in (a for a in answers if a.status_code == 429):
        assert_rate_limited(refused)
    assert other_user.status_code == 200


async def test_every_authenticated_read_counts_against_the_read_limit(
    replicas: list[FastAPI], replica: Replica
) -> None:
    client = replica(0)
    schema = (await client.get("/openapi.json")).json()
    reads = [
        re.sub(r"\{[^}]+\}", "0" * 24, path)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1") and "401" in item.get("get", {}).get("responses", {})
    ]
    me = await signed_in(replicas)
    for _ in range(READ_LIMIT):
        assert (await client.get("/api/v1/matches", headers=me)).status_code == 200

    statuses = {path: (await client.get(path, headers=me)).status_code for path in reads}

    assert len(reads) >= 9  # matches (3), export, stats (2), guild (2), command, me
    assert statuses == dict.fromkeys(reads, 429)


async def test_the_export_limit_is_stricter_than_the_read_limit(
    replicas: list[FastAPI], replica: Replica
) -> None:
    me = await signed_in(replicas)
    exports = [await replica(i % 2).get(EXPORT, headers=me) for i in range(EXPORT_LIMIT + 1)]
    listing = await replica(0).get("/api/v1/matches", headers=me)

    assert [r.status_code for r in exports[:EXPORT_LIMIT]] == [200] * EXPORT_LIMIT
    assert_rate_limited(exports[-1])
    assert listing.status_code == 200  # reads are still allowed


EXPORT = "/api/v1/matches/export.csv"


@asynccontextmanager
async def slow_download(app: FastAPI, headers: dict[str, str]) -> AsyncIterator[None]:
    """An export whose client reads nothing past the status line until the block ends."""
    started, finish = asyncio.Event(), asyncio.Event()
    statuses: list[int] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https",
        "path": EXPORT,
        "raw_path": EXPORT.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 443),
        "state": {},
    }

    requested = False

    async def receive() -> dict[str, object]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finish.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(int(str(message["status"])))
            started.set()
        elif message.get("more_body"):
            await finish.wait()  # a client that stopped reading

    download = asyncio.create_task(app(scope, receive, send))
    await asyncio.wait_for(started.wait(), 10)
    assert statuses == [200]
    try:
        yield
    finally:
        finish.set()
        await asyncio.wait_for(download, 10)


async def test_exports_run_one_per_user_and_a_few_per_process(
    replicas: list[FastAPI], replica: Replica
) -> None:
    first, second, third = [await signed_in(replicas) for _ in range(3)]
    client = replica(0)

    async with slow_download(replicas[0], first):
        again = await client.get(EXPORT, headers=first)
        async with slow_download(replicas[0], second):
            busy = await client.get(EXPORT, headers=third)
    afterwards = await client.get(EXPORT, headers=third)

    assert_rate_limited(again)
    assert "still running" in again.json()["detail"]
    assert busy.status_code == 503
    assert busy.headers["content-type"] == "application/problem+json"
    assert int(busy.headers["retry-after"]) >= 1
    assert afterwards.status_code == 200, "the slots were given back"
    assert replicas[0].state.export_slots.in_use == 0


async def test_rotating_x_forwarded_for_does_not_escape_the_login_limit(
    replicas: list[FastAPI], api_settings: Settings
) -> None:
    # Behind a real uvicorn configured like `debrief api`, with no trusted proxy (the default).
    statuses = []
    async with (
        served(replicas[0], api_settings) as port,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
    ):
        for i in range(LOGIN_LIMIT + 2):
            spoofed = {"X-Forwarded-For": f"198.51.100.{i + 1}"}
            statuses.append((await http.get(LOGIN_PROBE, headers=spoofed)).status_code)

    assert statuses == [200] * LOGIN_LIMIT + [429, 429]


async def test_a_trusted_proxy_is_believed_about_its_client(
    replicas: list[FastAPI], api_settings: Settings
) -> None:
    runtime: Runtime = replicas[0].state.runtime
    trusting = runtime.settings.model_copy(update={"trusted_proxies": ["127.0.0.1"]})
    app = create_app(trusting)
    app.add_api_route(LOGIN_PROBE, lambda: {"ok": True}, dependencies=[LoginRateLimit])
    first = uuid.uuid4().int % 200 + 1
    clients = [f"192.0.2.{first}", f"192.0.2.{first + 1}"]
    async with (
        LifespanManager(app),
        served(app, trusting) as port,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
    ):
        per_client = [
            [
                (await http.get(LOGIN_PROBE, headers={"X-Forwarded-For": c})).status_code
                for _ in range(LOGIN_LIMIT + 1)
            ]
            for c in clients
        ]

    assert per_client == [[200] * LOGIN_LIMIT + [429]] * 2


READS_IN_FLIGHT = 2


@pytest.fixture(scope="module")
async def narrow_app(api_settings: Settings) -> AsyncIterator[FastAPI]:
    """An API process that works on at most two reads of a user at once (and no rate limit
    that a test reaches)."""
    settings = api_settings.model_copy(
        update={
            "read_max_in_flight": READS_IN_FLIGHT,
            "mongodb_database": f"debrief_in_flight_{uuid.uuid4().hex[:8]}",
        }
    )
    app = create_app(settings)
    async with LifespanManager(app):
        yield app


async def test_a_burst_at_once_is_cut_to_a_few_reads_in_flight_while_another_user_is_served(
    narrow_app: FastAPI,
) -> None:
    greedy, patient = await signed_in([narrow_app]), await signed_in([narrow_app])
    transport = httpx.ASGITransport(app=narrow_app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        *burst, other_user = await asyncio.gather(
            *(client.get("/api/v1/matches", headers=greedy) for _ in range(30)),
            client.get("/api/v1/matches", headers=patient),
        )

    statuses = Counter(answer.status_code for answer in burst)
    assert set(statuses) == {200, 429}
    assert statuses[200] >= READS_IN_FLIGHT
    for refused in (answer for answer in burst if answer.status_code == 429):
        assert_rate_limited(refused, at_most_s=1)
    assert other_user.status_code == 200
    assert narrow_app.state.reads_in_flight.running(0) == 0
