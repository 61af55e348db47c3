"""Where "Login with Discord" sends people and tokens, and which HTTP library carries them."""

from __future__ import annotations

import httpx2
import pytest
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc6749.errors import MissingCodeException
from pydantic import SecretStr
from starlette.requests import Request

from app.api.auth.discord import (
    DiscordEndpoints,
    DiscordGrant,
    DiscordLogin,
    DiscordUnavailable,
    LoginRefused,
)
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


class _TokenEndpoint:
    """Stands in for Authlib's client: answers the code exchange with a fixed outcome."""

    def __init__(self, outcome: object) -> None:
        self._outcome = outcome

    async def authorize_access_token(self, request: Request) -> object:
        if isinstance(self._outcome, Exception):
            raise self._outcome
        return self._outcome


def _callback(query: bytes = b"code=abc&state=def") -> Request:
    return Request({"type": "http", "method": "GET", "query_string": query, "headers": []})


def _login_answering(outcome: object) -> DiscordLogin:
    settings = load_settings(
        debrief_env="development",
        discord_client_id="1",
        discord_client_secret=SecretStr("client-secret"),
    )
    login = DiscordLogin(settings)
    login._client = _TokenEndpoint(outcome)
    return login


@pytest.mark.parametrize(
    "outcome",
    [
        ValueError("Token endpoint response is not a JSON object (HTTP 200)."),
        {"token_type": "Bearer"},
        {"access_token": 7},
        {"access_token": ""},
    ],
    ids=["no JSON object", "no token", "token not text", "empty token"],
)
async def test_a_token_endpoint_answering_garbage_is_unavailable(outcome: object) -> None:
    with pytest.raises(DiscordUnavailable):
        await _login_answering(outcome).finish(_callback())


@pytest.mark.parametrize(
    ("expires_in", "kept_for"),
    [(3600, 3600), ("3600", 3600), ("soon", 0), (None, 0), (-5, 0), (True, 0), ([1], 0)],
)
async def test_an_unusable_token_lifetime_means_the_token_is_not_kept(
    expires_in: object, kept_for: int
) -> None:
    login = _login_answering({"access_token": "t", "expires_in": expires_in})

    grant = await login.finish(_callback())

    assert grant.expires_in == kept_for


@pytest.mark.parametrize(
    "error",
    [MissingCodeException(), MismatchingStateError(), OAuthError("invalid_grant")],
    ids=["missing code", "mismatching state", "invalid grant"],
)
async def test_every_authlib_refusal_is_a_refused_login(error: Exception) -> None:
    with pytest.raises(LoginRefused):
        await _login_answering(error).finish(_callback())
