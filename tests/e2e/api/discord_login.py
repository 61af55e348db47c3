"""Login with Discord as a browser does it: the API over ASGI, Discord as the emulator.

The API runs in-process at https://testserver; the emulator listens on a real loopback port.
A browser would follow the redirects across both; `log_in` carries them by hand, and
registers every secret it sees with the secrets guard.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http.cookies import Morsel, SimpleCookie

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from app.shared.settings import Settings
from devtools.discord_emulator import DiscordEmulator, Guild, Member
from tests.e2e.api.secrets_guard import SecretsGuard
from tests.support.discord_spec import emulator_config

API_BASE = "https://testserver"
CALLBACK_URL = f"{API_BASE}/api/v1/auth/callback"
MANAGE_GUILD = 1 << 5
_player_numbers = itertools.count(1)


@asynccontextmanager
async def discord_emulator() -> AsyncIterator[DiscordEmulator]:
    # Only our exact callback is registered, as in the Discord developer portal.
    config = emulator_config(token=secrets.token_urlsafe(24), redirect_uris=(CALLBACK_URL,))
    async with DiscordEmulator(config) as emulator:
        yield emulator
        emulator.assert_no_spec_violations()


def pointed_at(settings: Settings, emulator: DiscordEmulator) -> Settings:
    """The API's settings with "Login with Discord" going to the emulator."""
    return settings.model_copy(
        update={
            "discord_api_base_url": emulator.api_base_url,
            "discord_client_id": str(emulator.state.application.id),
            "discord_client_secret": SecretStr(emulator.config.client_secret),
            # These tests log in far more often than a person; test_rate_limits covers the limit.
            "login_rate_limit": "1000/minute",
        }
    )


@dataclass(frozen=True)
class Player:
    member: Member
    admin_of: Guild
    plays_in: Guild

    @property
    def discord_id(self) -> int:
        return self.member.user.id


def new_player(emulator: DiscordEmulator) -> Player:
    """A user who manages one server and plays in another; the next to approve an OAuth login."""
    number = next(_player_numbers)
    driver = emulator.driver
    admin_of = driver.create_guild(f"Squad {number}")
    plays_in = driver.create_guild(f"Community {number}")
    member = driver.create_member(admin_of.id, f"player{number}", permissions=MANAGE_GUILD)
    driver.create_member(plays_in.id, member.user.username, user_id=member.user.id)
    driver.set_oauth_user(member)
    return Player(member, admin_of, plays_in)


@asynccontextmanager
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh cookie jar talking to the API, from a page of the API's own origin."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=API_BASE, headers={"Origin": API_BASE}
    ) as client:
        yield client


async def discord_approves(authorize_url: str) -> str:
    """What Discord's consent page does: redirect back to us with a code and the state."""
    async with httpx.AsyncClient(trust_env=False) as discord:
        response = await discord.get(authorize_url)
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def start_login(
    client: httpx.AsyncClient, guard: SecretsGuard, next_page: str | None = None
) -> str:
    """GET /auth/login; returns the Discord authorize URL it redirects to."""
    params = {"next": next_page} if next_page is not None else {}
    response = await client.get("/api/v1/auth/login", params=params)
    assert response.status_code == 302, response.text
    guard.add_response(response)
    return response.headers["location"]


async def log_in(
    client: httpx.AsyncClient, guard: SecretsGuard, next_page: str | None = None
) -> httpx.Response:
    """The whole round trip; returns the API's answer to the callback."""
    callback = await discord_approves(await start_login(client, guard, next_page))
    guard.add_url(callback)
    response = await client.get(callback)
    guard.add_response(response)
    return response


def set_cookies(response: httpx.Response) -> dict[str, Morsel[str]]:
    """The cookies a response sets, by name, with their attributes."""
    cookies: dict[str, Morsel[str]] = {}
    for header in response.headers.get_list("set-cookie"):
        cookies.update(SimpleCookie(header))
    return cookies


def is_cleared(cookie: Morsel[str]) -> bool:
    """Told to expire now: FastAPI sends Max-Age=0, Starlette's session an expiry in 1970."""
    return cookie["max-age"] == "0" or "1970" in cookie["expires"]
