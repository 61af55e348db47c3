"""Where "Login with Discord" sends people and tokens, and which HTTP library carries them."""

from __future__ import annotations

import httpx2
import pytest
from authlib.integrations.httpx_client import AsyncOAuth2Client
from pydantic import SecretStr

from app.api.auth.discord import DiscordEndpoints, DiscordGrant, DiscordLogin
from app.shared.settings import load_settings


def test_production_discord_by_default() -> None:
    endpoints = DiscordEndpoints.derive(None)

    assert endpoints.authorize_url == "https://discord.com/oauth2/authorize"
    assert endpoints.token_url == "https://discord.com/api/oauth2/token"
    assert endpoints.api_base_url == "https://discord.com/api/v10/"


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:5555/api/v10", "http://127.0.0.1:5555/api/v10/"]
)
def test_an_emulator_or_proxy_gets_the_same_paths(base: str) -> None:
    endpoints = DiscordEndpoints.derive(base)

    assert endpoints.authorize_url == "http://127.0.0.1:5555/oauth2/authorize"
    assert endpoints.token_url == "http://127.0.0.1:5555/api/oauth2/token"
    assert endpoints.api_base_url == "http://127.0.0.1:5555/api/v10/"


def test_authlib_speaks_httpx2_so_its_errors_are_httpx2_errors() -> None:
    # Authlib 1.9 prefers httpx2 when installed; DiscordLogin catches httpx2.HTTPError.
    assert issubclass(AsyncOAuth2Client, httpx2.AsyncClient)


def test_the_redirect_uri_comes_from_the_public_base_url() -> None:
    settings = load_settings(
        debrief_env="development",
        public_base_url="https://debrief.example.com/",
        discord_client_id="1",
        discord_client_secret=SecretStr("client-secret"),
    )

    login = DiscordLogin(settings)

    assert login.configured
    assert login.redirect_uri == "https://debrief.example.com/api/v1/auth/callback"


def test_login_is_not_configured_without_client_credentials() -> None:
    assert not DiscordLogin(load_settings(debrief_env="development")).configured


def test_a_grant_never_shows_its_token() -> None:
    assert "secret-token" not in repr(DiscordGrant("secret-token", 60))
