"""Malformed login callbacks against the real app, Authlib and the Discord emulator's OAuth2:
each is a 400 problem with one short message and one log line, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence

import httpx
import pytest

from app.api.routes.auth import DISCORD_DOWN, LOGIN_REFUSED
from app.shared.settings import Settings
from devtools.discord_emulator import DiscordEmulator
from tests.e2e.api.discord_login import (
    discord_approves,
    discord_emulator,
    log_in,
    new_player,
    pointed_at,
    set_cookies,
    start_login,
)
from tests.e2e.api.secrets_guard import SecretsGuard, guarding

pytestmark = pytest.mark.e2e

CALLBACK = "/api/v1/auth/callback"
SESSION_COOKIES = {"debrief_access", "debrief_refresh", "debrief_csrf", "debrief_discord"}
Query = Sequence[tuple[str, str]]


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


async def approved(client: httpx.AsyncClient, guard: SecretsGuard) -> tuple[str, str]:
    """A login this browser started and Discord approved: its (code, state)."""
    callback = httpx.URL(await discord_approves(await start_login(client, guard)))
    guard.add_url(str(callback))
    return callback.params["code"], callback.params["state"]


def assert_refused(response: httpx.Response, caplog: pytest.LogCaptureFixture) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == LOGIN_REFUSED
    assert not set(set_cookies(response)) & SESSION_COOKIES
    refusals = [r for r in caplog.records if "login refused" in r.getMessage()]
    assert len(refusals) == 1, [r.getMessage() for r in refusals]
    assert "\n" not in refusals[0].getMessage()


# How each hostile query is built from a genuine (code, state) of this browser.
MALFORMED = {
    "no parameters": lambda code, state: [],
    "no code": lambda code, state: [("state", state)],
    "empty code": lambda code, state: [("code", ""), ("state", state)],
    "no state": lambda code, state: [("code", code)],
    "empty state": lambda code, state: [("code", code), ("state", "")],
    "code twice": lambda code, state: [("code", code), ("code", code), ("state", state)],
    "state twice": lambda code, state: [("code", code), ("state", state), ("state", state)],
    "a second, foreign state": lambda code, state: [
        ("code", code),
        ("state", "forged"),
        ("state", state),
    ],
    "over-long code": lambda code, state: [("code", "c" * 10_000), ("state", state)],
    "over-long state": lambda code, state: [("code", code), ("state", "s" * 10_000)],
    "control characters": lambda code, state: [("code", code + "\x00\n"), ("state", state)],
    "wrong state": lambda code, state: [("code", code), ("state", state[::-1])],
    "wrong code": lambda code, state: [("code", code[::-1]), ("state", state)],
    "provider error": lambda code, state: [
        ("error", "access_denied"),
        ("error_description", "The resource owner or authorization server denied the request"),
        ("state", state),
    ],
    "provider error without state": lambda code, state: [("error", "server_error")],
    "provider error twice": lambda code, state: [
        ("error", "access_denied"),
        ("error", "x" * 10_000),
        ("state", state),
    ],
}


@pytest.mark.parametrize("build", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_callback_is_a_400_problem_with_one_log_line(
    client: httpx.AsyncClient,
    emulator: DiscordEmulator,
    guard: SecretsGuard,
    caplog: pytest.LogCaptureFixture,
    build: object,
) -> None:
    new_player(emulator)
    code, state = await approved(client, guard)
    assert callable(build)
    caplog.clear()

    response = await client.get(CALLBACK, params=build(code, state))

    assert_refused(response, caplog)


async def test_a_callback_without_any_login_session_is_refused(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get(CALLBACK, params={"code": "abc", "state": "def"})

    assert_refused(response, caplog)


async def test_the_login_still_completes_after_refused_callbacks(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard
) -> None:
    await client.get(CALLBACK, params={"state": "x"})
    new_player(emulator)

    response = await log_in(client, guard)

    assert response.status_code == 303
    assert set(set_cookies(response)) >= SESSION_COOKIES


@pytest.mark.parametrize("status", [400, 418, 500, 503])
async def test_a_token_endpoint_answering_garbage_is_a_502_problem(
    client: httpx.AsyncClient, emulator: DiscordEmulator, guard: SecretsGuard, status: int
) -> None:
    new_player(emulator)
    code, state = await approved(client, guard)
    emulator.faults.fail(status, count=1, method="POST", path="/api/oauth2/token")
    try:
        response = await client.get(CALLBACK, params={"code": code, "state": state})
    finally:
        emulator.faults.clear()

    assert response.status_code == 502, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == DISCORD_DOWN
