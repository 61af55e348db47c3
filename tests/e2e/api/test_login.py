"""Login with Discord, end to end: the real app, Authlib, and the Discord emulator's OAuth2."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pydantic import SecretStr

from app.api.app import create_app
from app.api.auth.refresh_tokens import hash_token
from app.shared.runtime import Runtime
from app.shared.settings import Settings, load_settings
from devtools.discord_emulator import DiscordEmulator
from tests.e2e.api.discord_login import (
    API_BASE,
    CALLBACK_URL,
    browser,
    discord_approves,
    discord_emulator,
    is_cleared,
    log_in,
    new_player,
    pointed_at,
    set_cookies,
    start_login,
)
from tests.e2e.api.secrets_guard import SecretsGuard, guarding

pytestmark = pytest.mark.e2e

SESSION_COOKIES = ("debrief_access", "debrief_refresh", "debrief_csrf", "debrief_discord")


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


def params(url: str) -> dict[str, str]:
    return dict(httpx.URL(url).params)


def oauth_session(client: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    """What Authlib stored for this browser: state → {code_verifier, redirect_uri, ...}."""
    cookie = client.cookies.get("debrief_oauth", path="/api/v1/auth")
    assert cookie is not None
    session = json.loads(base64.b64decode(cookie.split(".")[0]))
    return {
        key.rsplit("_", 1)[-1]: entry["data"]
        for key, entry in session.items()
        if key.startswith("_state_")
    }


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def assert_no_session_cookies(response: httpx.Response) -> None:
    assert not set(set_cookies(response)) & set(SESSION_COOKIES)


async def test_login_redirects_to_discord_with_state_and_pkce(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    authorize_url = await start_login(client, guard)

    assert authorize_url.startswith(emulator.base_url + "/oauth2/authorize?")
    query = params(authorize_url)
    assert query["response_type"] == "code"
    assert query["client_id"] == str(emulator.state.application.id)
    assert query["redirect_uri"] == CALLBACK_URL
    assert query["scope"] == "identify guilds"
    assert query["code_challenge_method"] == "S256"
    stored = oauth_session(client)[query["state"]]
    assert query["code_challenge"] == s256(stored["code_verifier"])


async def test_the_oauth_session_cookie_is_short_lived_and_scoped_to_auth_routes(
    client: httpx.AsyncClient, guard: SecretsGuard
) -> None:
    response = await client.get("/api/v1/auth/login")
    guard.add_response(response)

    cookie = set_cookies(response)["debrief_oauth"]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert (cookie["samesite"], cookie["path"]) == ("lax", "/api/v1/auth")
    assert cookie["max-age"] == "600"


async def test_login_sets_the_session_cookies_with_their_flags(
    client: httpx.AsyncClient,
    emulator: DiscordEmulator,
    api_settings: Settings,
    guard: SecretsGuard,
) -> None:
    new_player(emulator)

    response = await log_in(client, guard, next_page="/dashboard?tab=matches")

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard?tab=matches"
    cookies = set_cookies(response)
    access, refresh, csrf, sealed = (cookies[name] for name in SESSION_COOKIES)
    assert (access["path"], access["samesite"]) == ("/", "lax")
    assert access["max-age"] == str(api_settings.access_token_ttl_s)
    assert (refresh["path"], refresh["samesite"]) == ("/api/v1/auth", "strict")
    assert refresh["max-age"] == str(api_settings.refresh_token_ttl_days * 86_400)
    assert (sealed["path"], sealed["samesite"]) == ("/api/v1/auth", "strict")
    for cookie in (access, refresh, sealed):
        assert cookie["httponly"] is True
        assert cookie["secure"] is True
    # Our own pages read this one to echo it in X-CSRF-Token.
    assert not csrf["httponly"]
    assert csrf["secure"] is True
    # The Discord round trip is over: its session cookie is dropped.
    assert is_cleared(cookies["debrief_oauth"])


async def test_login_saves_the_user_with_their_servers_and_permissions(
    client: httpx.AsyncClient, emulator: DiscordEmulator, runtime: Runtime, guard: SecretsGuard
) -> None:
    player = new_player(emulator)

    await log_in(client, guard)

    user = await runtime.dependencies.users.get_by_discord_id(player.discord_id)
    assert user is not None
    assert user.username == player.member.user.username
    assert user.guilds_refreshed_at is not None
    snapshot = {guild.guild_id: guild for guild in user.guilds}
    assert set(snapshot) == {player.admin_of.id, player.plays_in.id}
    for guild in (player.admin_of, player.plays_in):
        assert snapshot[guild.id].name == guild.name
        assert snapshot[guild.id].permissions == guild.permissions_of(player.discord_id)
        assert snapshot[guild.id].owner is False


async def test_me_shows_the_user_and_which_servers_they_manage(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    player = new_player(emulator)
    await log_in(client, guard)

    response = await client.get("/api/v1/auth/me")

    assert response.status_code == 200
    me = response.json()
    assert me["id"] == str(player.discord_id)
    assert me["username"] == player.member.user.username
    manages = {server["id"]: server["can_manage"] for server in me["servers"]}
    assert manages == {str(player.admin_of.id): True, str(player.plays_in.id): False}


async def test_only_a_hash_of_the_refresh_token_is_stored(
    client: httpx.AsyncClient, emulator: DiscordEmulator, runtime: Runtime, guard: SecretsGuard
) -> None:
    player = new_player(emulator)
    await log_in(client, guard)
    token = client.cookies.get("debrief_refresh", path="/api/v1/auth")
    assert token is not None

    stored = await runtime.dependencies.refresh_tokens.find_by_hash(hash_token(token))

    assert stored is not None
    assert stored.user_id == player.discord_id
    raw = await runtime.database.client[runtime.settings.mongodb_database][
        "refresh_tokens"
    ].find_one({"user_id": player.discord_id})
    assert raw is not None
    assert token not in json.dumps(raw, default=str)


async def test_a_tampered_state_is_refused_and_no_session_is_created(
    client: httpx.AsyncClient, emulator: DiscordEmulator, runtime: Runtime, guard: SecretsGuard
) -> None:
    player = new_player(emulator)
    callback = httpx.URL(await discord_approves(await start_login(client, guard)))
    guard.add_url(str(callback))
    tampered = callback.copy_set_param("state", params(str(callback))["state"][:-2] + "xx")

    response = await client.get(tampered)

    assert response.status_code == 400
    assert "log in again" in response.json()["detail"]
    assert_no_session_cookies(response)
    assert await runtime.dependencies.users.get_by_discord_id(player.discord_id) is None


async def test_a_callback_in_another_browser_is_refused(
    client: httpx.AsyncClient, app: FastAPI, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    new_player(emulator)
    callback = await discord_approves(await start_login(client, guard))
    guard.add_url(callback)

    async with browser(app) as other:  # no OAuth session cookie: not who started the login
        response = await other.get(callback)

    assert response.status_code == 400
    assert_no_session_cookies(response)


async def test_a_stolen_code_is_useless_without_its_pkce_verifier(
    client: httpx.AsyncClient, app: FastAPI, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    # The attacker starts a login of their own (valid state and session in their browser)
    # and injects the victim's code: the exchange then carries the attacker's verifier.
    new_player(emulator)
    victim_callback = await discord_approves(await start_login(client, guard))
    guard.add_url(victim_callback)
    async with browser(app) as attacker:
        own_callback = await discord_approves(await start_login(attacker, guard))
        guard.add_url(own_callback)
        injected = httpx.URL(own_callback).copy_set_param("code", params(victim_callback)["code"])

        response = await attacker.get(injected)

    assert response.status_code == 400
    assert_no_session_cookies(response)


async def test_the_emulator_refuses_a_wrong_code_verifier(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    new_player(emulator)
    callback = await discord_approves(await start_login(client, guard))
    guard.add_url(callback)
    form = {
        "grant_type": "authorization_code",
        "code": params(callback)["code"],
        "redirect_uri": CALLBACK_URL,
        "client_id": str(emulator.state.application.id),
        "client_secret": emulator.config.client_secret,
        "code_verifier": "a-verifier-that-does-not-match-the-challenge-at-all-xxxxx",
    }

    async with httpx.AsyncClient(trust_env=False) as discord:
        refused = await discord.post(emulator.api_base_url + "/oauth2/token", data=form)

    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


async def test_a_replayed_callback_is_refused(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    new_player(emulator)
    callback = await discord_approves(await start_login(client, guard))
    guard.add_url(callback)
    first = await client.get(callback)
    guard.add_response(first)
    assert first.status_code == 303

    replay = await client.get(callback)

    assert replay.status_code == 400
    assert_no_session_cookies(replay)


@pytest.mark.parametrize(
    ("error", "logged"),
    [("access_denied", "access_denied"), ("x\nFAKE log line", "unrecognised_error")],
)
async def test_a_login_cancelled_on_discord_is_refused(
    client: httpx.AsyncClient,
    guard: SecretsGuard,
    caplog: pytest.LogCaptureFixture,
    error: str,
    logged: str,
) -> None:
    state = params(await start_login(client, guard))["state"]

    response = await client.get("/api/v1/auth/callback", params={"error": error, "state": state})

    assert response.status_code == 400
    assert_no_session_cookies(response)
    refusals = [r.getMessage() for r in caplog.records if "login refused" in r.getMessage()]
    assert refusals == [f"Discord login refused: {logged}"]


@pytest.mark.parametrize(
    "next_page",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "javascript:alert(1)",
        "dashboard",
    ],
)
async def test_login_never_redirects_to_another_site(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard, next_page: str
) -> None:
    new_player(emulator)

    response = await log_in(client, guard, next_page=next_page)

    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_discord_failing_during_the_callback_is_a_502_without_a_session(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    new_player(emulator)
    emulator.faults.server_error(502, count=1, method="GET", path="/api/v10/users/@me/guilds")
    try:
        response = await log_in(client, guard)
    finally:
        emulator.faults.clear()

    assert response.status_code == 502
    assert_no_session_cookies(response)


async def test_login_is_unavailable_without_discord_credentials(
    mongodb_uri: str, guard: SecretsGuard
) -> None:
    settings = load_settings(
        debrief_env="production",
        mongodb_uri=SecretStr(mongodb_uri),
        jwt_secret=SecretStr("x" * 48),
        public_base_url=API_BASE,
    )
    app = create_app(settings)

    async with LifespanManager(app), browser(app) as client:
        response = await client.get("/api/v1/auth/login")

    assert response.status_code == 503
    assert "not configured" in response.json()["detail"]
