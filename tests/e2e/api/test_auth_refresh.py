"""Refresh-token rotation, reuse detection, logout, CSRF and origins, after a real Discord
login; and that ending a session ends its access tokens, and no other session's."""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from app.api.auth.refresh_tokens import hash_token
from app.core.accounts import RefreshTokenFields
from app.shared.runtime import Runtime
from app.shared.settings import Settings
from devtools.discord_emulator import DiscordEmulator
from tests.e2e.api.discord_login import (
    browser,
    discord_emulator,
    is_cleared,
    log_in,
    new_player,
    pointed_at,
    set_cookies,
)
from tests.e2e.api.secrets_guard import SecretsGuard, guarding

pytestmark = pytest.mark.e2e

AUTH = "/api/v1/auth"


@pytest.fixture(scope="module")
async def emulator() -> AsyncIterator[DiscordEmulator]:
    async with discord_emulator() as running:
        yield running


@pytest.fixture(scope="module")
def api_settings(api_settings: Settings, emulator: DiscordEmulator) -> Settings:
    return pointed_at(api_settings, emulator)


@pytest.fixture(autouse=True)
def guard(caplog: pytest.LogCaptureFixture, api_settings: Settings) -> Iterator[SecretsGuard]:
    with guarding(caplog) as secrets_guard:
        secrets_guard.add_settings(api_settings)
        yield secrets_guard


@pytest.fixture
async def logged_in(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard
) -> httpx.AsyncClient:
    new_player(emulator)
    response = await log_in(client, guard)
    assert response.status_code == 303
    return client


def refresh_cookie(client: httpx.AsyncClient) -> str:
    token = client.cookies.get("debrief_refresh", path=AUTH)
    assert token is not None
    return token


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


async def me_status(app: FastAPI, access_token: str, *, as_cookie: bool = False) -> int:
    """What GET /auth/me answers to this access token, from a fresh client."""
    headers = {"Cookie": f"debrief_access={access_token}"} if as_cookie else bearer(access_token)
    async with browser(app) as other:
        return (await other.get(f"{AUTH}/me", headers=headers)).status_code


async def send_without_origin(
    client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A request with no Origin header (a script, or a browser that dropped it)."""
    request = client.build_request(method, url, headers=headers)
    del request.headers["Origin"]
    return await client.send(request)


async def second_session(app: FastAPI, guard: SecretsGuard) -> str:
    """The current Discord user logs in again on another device; its access token."""
    async with browser(app) as other_device:
        assert (await log_in(other_device, guard)).status_code == 303
        access = other_device.cookies.get("debrief_access")
    assert access is not None
    return access


def is_problem(response: httpx.Response, status: int) -> bool:
    media_type = response.headers["content-type"].split(";")[0]
    return response.status_code == status and media_type == "application/problem+json"


async def refresh_with(app: FastAPI, token: str, guard: SecretsGuard) -> httpx.Response:
    """POST /auth/refresh from a browser holding exactly this refresh token."""
    async with browser(app) as other:
        response = await other.post(
            f"{AUTH}/refresh", headers={"Cookie": f"debrief_refresh={token}"}
        )
    guard.add_response(response)
    return response


async def test_refresh_rotates_the_token_within_its_family(
    logged_in: httpx.AsyncClient, runtime: Runtime, guard: SecretsGuard
) -> None:
    first = refresh_cookie(logged_in)

    response = await logged_in.post(f"{AUTH}/refresh")
    guard.add_response(response)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == runtime.settings.access_token_ttl_s
    second = refresh_cookie(logged_in)
    assert second != first
    assert set(set_cookies(response)) >= {"debrief_access", "debrief_refresh", "debrief_csrf"}
    tokens = runtime.dependencies.refresh_tokens
    spent, issued = (
        await tokens.find_by_hash(hash_token(first)),
        await tokens.find_by_hash(hash_token(second)),
    )
    assert spent is not None and issued is not None
    assert spent.used_at is not None
    assert issued.used_at is None
    assert issued.family_id == spent.family_id


async def test_the_access_token_in_the_refresh_body_works_as_a_bearer_token(
    logged_in: httpx.AsyncClient, app: FastAPI, guard: SecretsGuard
) -> None:
    response = await logged_in.post(f"{AUTH}/refresh")
    guard.add_response(response)

    async with browser(app) as script:
        me = await script.get(
            f"{AUTH}/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
        )

    assert me.status_code == 200


async def test_reusing_a_rotated_token_revokes_the_whole_family(
    logged_in: httpx.AsyncClient,
    app: FastAPI,
    runtime: Runtime,
    guard: SecretsGuard,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stolen = refresh_cookie(logged_in)
    rotated = await logged_in.post(f"{AUTH}/refresh")
    guard.add_response(rotated)
    newest = refresh_cookie(logged_in)
    family = await runtime.dependencies.refresh_tokens.find_by_hash(hash_token(newest))
    assert family is not None

    reuse = await refresh_with(app, stolen, guard)
    after_reuse = await logged_in.post(f"{AUTH}/refresh")

    assert reuse.status_code == 401
    assert after_reuse.status_code == 401
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"refresh token reuse; family revoked (family {family.family_id})" in warnings


async def test_two_concurrent_refreshes_with_one_token_end_the_family(
    logged_in: httpx.AsyncClient, app: FastAPI, guard: SecretsGuard
) -> None:
    token = refresh_cookie(logged_in)

    outcomes = await asyncio.gather(*(refresh_with(app, token, guard) for _ in range(2)))

    # One of them spends the token; the other looks like a reuse and revokes the family, so
    # the winner (if its rotation finished first) holds a successor that is already dead.
    statuses = sorted(response.status_code for response in outcomes)
    assert statuses in ([200, 401], [401, 401])
    for winner in (response for response in outcomes if response.status_code == 200):
        successor = httpx.Cookies(winner.cookies).get("debrief_refresh")
        assert successor is not None
        assert (await refresh_with(app, successor, guard)).status_code == 401


async def test_an_expired_refresh_token_is_refused(
    app: FastAPI, runtime: Runtime, guard: SecretsGuard
) -> None:
    token = secrets.token_urlsafe(32)
    guard.add("refresh token", token)
    now = runtime.dependencies.clock()
    await runtime.dependencies.refresh_tokens.add(
        RefreshTokenFields(
            token_hash=hash_token(token),
            family_id=uuid.uuid4().hex,
            user_id=4242,
            issued_at=now - timedelta(days=31),
            expires_at=now - timedelta(seconds=1),
        )
    )

    response = await refresh_with(app, token, guard)

    assert response.status_code == 401


@pytest.mark.parametrize("cookie", [None, "unknown-" + "x" * 40])
async def test_refresh_without_a_known_token_is_refused(
    app: FastAPI, guard: SecretsGuard, cookie: str | None
) -> None:
    async with browser(app) as anonymous:
        headers = {"Cookie": f"debrief_refresh={cookie}"} if cookie else {}
        response = await anonymous.post(f"{AUTH}/refresh", headers=headers)

    assert response.status_code == 401
    assert response.json()["detail"] == "Your session has ended; log in again."


async def test_logout_revokes_the_session_and_clears_the_cookies(
    logged_in: httpx.AsyncClient, app: FastAPI, guard: SecretsGuard
) -> None:
    token = refresh_cookie(logged_in)
    csrf = logged_in.cookies["debrief_csrf"]

    response = await logged_in.post(f"{AUTH}/logout", headers={"X-CSRF-Token": csrf})

    assert response.status_code == 204
    cleared = set_cookies(response)
    for name in ("debrief_access", "debrief_refresh", "debrief_csrf", "debrief_discord"):
        assert is_cleared(cleared[name]), name
    assert (await refresh_with(app, token, guard)).status_code == 401


@pytest.mark.parametrize("header", [None, "wrong-csrf-token"])
async def test_cookie_authenticated_logout_needs_the_csrf_token(
    logged_in: httpx.AsyncClient, app: FastAPI, guard: SecretsGuard, header: str | None
) -> None:
    token = refresh_cookie(logged_in)
    headers = {"X-CSRF-Token": header} if header else {}

    response = await logged_in.post(f"{AUTH}/logout", headers=headers)

    assert response.status_code == 403
    assert (await refresh_with(app, token, guard)).status_code == 200  # nothing was revoked


async def test_bearer_logout_needs_no_csrf_token_nor_origin_and_ends_the_session(
    logged_in: httpx.AsyncClient, app: FastAPI, guard: SecretsGuard
) -> None:
    access = logged_in.cookies["debrief_access"]

    async with browser(app) as script:
        response = await send_without_origin(
            script, "POST", f"{AUTH}/logout", headers=bearer(access)
        )

    assert response.status_code == 204
    assert await me_status(app, access) == 401
    assert (await logged_in.post(f"{AUTH}/refresh")).status_code == 401


async def test_refresh_takes_a_new_server_snapshot(
    client: httpx.AsyncClient, emulator: DiscordEmulator, runtime: Runtime, guard: SecretsGuard
) -> None:
    player = new_player(emulator)
    await log_in(client, guard)
    joined = emulator.driver.create_guild("Joined later")
    emulator.driver.create_member(joined.id, "x", user_id=player.discord_id)

    response = await client.post(f"{AUTH}/refresh")
    guard.add_response(response)

    assert response.status_code == 200
    me = (await client.get(f"{AUTH}/me")).json()
    assert str(joined.id) in {server["id"] for server in me["servers"]}


async def test_refresh_keeps_the_snapshot_when_discord_is_down(
    client: httpx.AsyncClient, emulator: DiscordEmulator, runtime: Runtime, guard: SecretsGuard
) -> None:
    player = new_player(emulator)
    await log_in(client, guard)
    before = await runtime.dependencies.users.get_by_discord_id(player.discord_id)
    emulator.faults.server_error(502, count=1, method="GET", path="/api/v10/users/@me/guilds")
    try:
        response = await client.post(f"{AUTH}/refresh")
    finally:
        emulator.faults.clear()
    guard.add_response(response)

    assert response.status_code == 200
    after = await runtime.dependencies.users.get_by_discord_id(player.discord_id)
    assert after is not None and before is not None
    assert after.guilds == before.guilds
    assert after.guilds_refreshed_at == before.guilds_refreshed_at


async def test_a_forged_discord_token_cookie_is_dropped(
    logged_in: httpx.AsyncClient, guard: SecretsGuard
) -> None:
    sealed = next(cookie for cookie in logged_in.cookies.jar if cookie.name == "debrief_discord")
    sealed.value = "forged"

    response = await logged_in.post(f"{AUTH}/refresh")
    guard.add_response(response)

    assert response.status_code == 200
    assert is_cleared(set_cookies(response)["debrief_discord"])


async def test_a_csrf_pair_planted_from_another_session_is_refused(
    logged_in: httpx.AsyncClient, app: FastAPI, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    # The attacker logs in themselves, then (from a sibling subdomain, say) plants their own
    # CSRF cookie in the victim's browser and sends the matching header.
    new_player(emulator)
    async with browser(app) as attacker:
        assert (await log_in(attacker, guard)).status_code == 303
        planted = attacker.cookies["debrief_csrf"]
    csrf = next(cookie for cookie in logged_in.cookies.jar if cookie.name == "debrief_csrf")
    genuine, csrf.value = csrf.value, planted
    token = refresh_cookie(logged_in)

    refused = await logged_in.post(f"{AUTH}/logout", headers={"X-CSRF-Token": planted})

    assert is_problem(refused, 403)
    assert refused.json()["detail"] == "Missing or wrong CSRF token."
    csrf.value = genuine
    accepted = await logged_in.post(f"{AUTH}/logout", headers={"X-CSRF-Token": genuine})
    assert accepted.status_code == 204
    assert (await refresh_with(app, token, guard)).status_code == 401


FOREIGN_ORIGINS = [
    "https://evil.testserver",  # a sibling subdomain: the same site, as SameSite sees it
    "https://testserver.evil.example",
    "http://testserver",
    "null",
]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
async def test_refresh_from_a_foreign_origin_is_refused(
    logged_in: httpx.AsyncClient, guard: SecretsGuard, origin: str
) -> None:
    refused = await logged_in.post(f"{AUTH}/refresh", headers={"Origin": origin})

    assert is_problem(refused, 403)
    assert refused.json()["detail"] == "This request must come from a Debrief page."
    accepted = await logged_in.post(f"{AUTH}/refresh")  # the token was not spent
    guard.add_response(accepted)
    assert accepted.status_code == 200


@pytest.mark.parametrize(
    ("referer", "status"),
    [(None, 403), ("https://evil.testserver/page", 403), ("https://testserver/matches", 200)],
)
async def test_refresh_without_origin_falls_back_to_the_referer(
    logged_in: httpx.AsyncClient, guard: SecretsGuard, referer: str | None, status: int
) -> None:
    headers = {"Referer": referer} if referer else {}

    response = await send_without_origin(logged_in, "POST", f"{AUTH}/refresh", headers)
    guard.add_response(response)

    assert response.status_code == status
    if status == 403:
        assert is_problem(response, 403)
        assert (await logged_in.post(f"{AUTH}/refresh")).status_code == 200


@pytest.mark.parametrize("origin", [*FOREIGN_ORIGINS, None])
async def test_cookie_logout_from_a_foreign_or_missing_origin_is_refused(
    logged_in: httpx.AsyncClient, app: FastAPI, guard: SecretsGuard, origin: str | None
) -> None:
    access = logged_in.cookies["debrief_access"]
    csrf = {"X-CSRF-Token": logged_in.cookies["debrief_csrf"]}

    if origin is None:
        response = await send_without_origin(logged_in, "POST", f"{AUTH}/logout", csrf)
    else:
        response = await logged_in.post(f"{AUTH}/logout", headers={**csrf, "Origin": origin})

    assert is_problem(response, 403)
    assert await me_status(app, access) == 200  # the session goes on


@pytest.mark.parametrize("as_cookie", [False, True], ids=["bearer", "cookie"])
async def test_after_logout_the_sessions_access_token_is_refused_at_once(
    logged_in: httpx.AsyncClient, app: FastAPI, guard: SecretsGuard, as_cookie: bool
) -> None:
    access = logged_in.cookies["debrief_access"]
    other_device = await second_session(app, guard)
    assert await me_status(app, access, as_cookie=as_cookie) == 200  # now cached as active

    logout = await logged_in.post(
        f"{AUTH}/logout", headers={"X-CSRF-Token": logged_in.cookies["debrief_csrf"]}
    )

    assert logout.status_code == 204
    assert await me_status(app, access, as_cookie=as_cookie) == 401
    assert await me_status(app, other_device, as_cookie=as_cookie) == 200


async def test_reuse_detection_ends_the_access_tokens_of_the_family(
    logged_in: httpx.AsyncClient, app: FastAPI, guard: SecretsGuard
) -> None:
    first_access = logged_in.cookies["debrief_access"]
    stolen = refresh_cookie(logged_in)
    rotated = await logged_in.post(f"{AUTH}/refresh")
    guard.add_response(rotated)
    second_access = rotated.json()["access_token"]
    other_device = await second_session(app, guard)
    assert await me_status(app, second_access) == 200  # now cached as active

    reuse = await refresh_with(app, stolen, guard)

    assert reuse.status_code == 401
    assert await me_status(app, first_access) == 401
    assert await me_status(app, second_access) == 401
    assert await me_status(app, other_device) == 200
