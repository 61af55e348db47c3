"""Login with Discord through Authlib: the authorization redirect, the code exchange (with state
and PKCE S256) and the two reads the server snapshot needs, /users/@me and /users/@me/guilds.

Authlib's HTTP client is built on `httpx2` whenever that package is installed, and it always is
(google-genai depends on it): its network errors are `httpx2` errors, not `httpx` ones.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from app.api.auth.callback_query import MalformedCallback, check_callback_query
from app.shared.settings import Settings

logger = logging.getLogger(__name__)

DISCORD_API = "https://discord.com/api/v10"
SCOPES = "identify guilds"
CALLBACK_PATH = "/api/v1/auth/callback"
HTTP_TIMEOUT_S = 10.0
# Discord's largest page, and more servers than a user account may join.
GUILDS_PAGE_SIZE = 200
_API_VERSION_SUFFIX = re.compile(r"/v\d+$")
# OAuth2 error codes ("mismatching_state", "invalid_grant"); anything else came from a query
# string anyone can write, and is not worth a log line of its own.
_ERROR_CODE = re.compile(r"[a-z_]{1,40}")

Model = TypeVar("Model", bound=BaseModel)


class LoginRefused(Exception):
    """The callback does not complete a login this browser started (state, code or consent)."""


class DiscordUnavailable(Exception):
    """Discord did not answer, or answered something we cannot use."""


class DiscordTokenExpired(Exception):
    """Discord no longer accepts the user's OAuth access token."""


@dataclass(frozen=True, slots=True)
class DiscordEndpoints:
    authorize_url: str
    token_url: str
    api_base_url: str

    @classmethod
    def derive(cls, api_base_url: str | None) -> DiscordEndpoints:
        """Discord's OAuth2 URLs, or the same paths on the emulator or proxy at `api_base_url`.

        The REST base ends in /api/v10; the browser authorizes at the origin's /oauth2/authorize
        and the token endpoint is /api/oauth2/token, as on discord.com.
        """
        api = (api_base_url or DISCORD_API).rstrip("/")
        parts = urlsplit(api)
        return cls(
            authorize_url=f"{parts.scheme}://{parts.netloc}/oauth2/authorize",
            token_url=_API_VERSION_SUFFIX.sub("", api) + "/oauth2/token",
            api_base_url=api + "/",
        )


class DiscordUser(BaseModel):
    id: int
    username: str
    global_name: str | None = None
    avatar: str | None = None


class DiscordGuild(BaseModel):
    id: int
    name: str
    owner: bool = False
    # Discord sends the bitfield as a string; pydantic reads it as the integer it is.
    permissions: int = 0


@dataclass(frozen=True, slots=True)
class DiscordGrant:
    """The user's Discord access token: used during this login, never logged or stored plain."""

    access_token: str = field(repr=False)
    expires_in: int


@dataclass(frozen=True, slots=True)
class DiscordProfile:
    user: DiscordUser
    guilds: list[DiscordGuild]


class DiscordLogin:
    """The "Login with Discord" client. Built with the app; it connects only when used."""

    def __init__(self, settings: Settings) -> None:
        self.endpoints = DiscordEndpoints.derive(settings.discord_api_base_url)
        self.redirect_uri = settings.public_base_url.rstrip("/") + CALLBACK_PATH
        self._client: Any = _register(settings, self.endpoints)

    @property
    def configured(self) -> bool:
        return self._client is not None

    async def redirect(self, request: Request) -> Response:
        """Send the browser to Discord; state and the PKCE verifier go into its session."""
        response: Response = await self._require().authorize_redirect(request, self.redirect_uri)
        return response

    async def finish(self, request: Request) -> DiscordGrant:
        """Check the callback's state against the session and exchange its code (with PKCE)."""
        try:
            check_callback_query(request.query_params)
            token = await self._require().authorize_access_token(request)
        except MalformedCallback as malformed:
            logger.info("Discord login refused: %s", malformed.reason)
            raise LoginRefused(malformed.reason) from None
        # Not only OAuthError: Authlib's OAuth2 client raises its own AuthlibBaseError
        # subclasses (e.g. MissingCodeException) for what it checks before sending.
        except AuthlibBaseError as error:
            if error.error == "invalid_client":
                logger.error("Discord refused our client credentials (DISCORD_CLIENT_ID/SECRET)")
                raise DiscordUnavailable("client credentials refused") from None
            code = _error_code(error)
            logger.info("Discord login refused: %s", code)
            raise LoginRefused(code) from None
        except httpx2.HTTPError as error:
            raise _unavailable(error) from None
        except ValueError:
            # Authlib's word for a token endpoint that answered 2xx without a JSON object.
            logger.warning("Discord's token endpoint answered no JSON object")
            raise DiscordUnavailable("no JSON object from the token endpoint") from None
        return _grant(token)

    async def profile(self, grant: DiscordGrant) -> DiscordProfile:
        user = await self._read("users/@me", grant)
        return DiscordProfile(_parse(DiscordUser, user), await self.guilds(grant))

    async def guilds(self, grant: DiscordGrant) -> list[DiscordGuild]:
        raw = await self._read("users/@me/guilds", grant, params={"limit": GUILDS_PAGE_SIZE})
        if not isinstance(raw, list):
            raise DiscordUnavailable("unexpected guild list")
        return [_parse(DiscordGuild, guild) for guild in raw]

    async def _read(self, path: str, grant: DiscordGrant, **kwargs: Any) -> Any:
        token = {"access_token": grant.access_token, "token_type": "Bearer"}
        try:
            response = await self._require().get(path, token=token, **kwargs)
        except (httpx2.HTTPError, OAuthError) as error:
            raise _unavailable(error) from None
        if response.status_code == 401:
            raise DiscordTokenExpired
        if response.is_error:
            raise DiscordUnavailable(f"GET {path} answered {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise DiscordUnavailable(f"GET {path} answered no JSON") from None

    def _require(self) -> Any:
        if self._client is None:
            raise DiscordUnavailable("DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET are not set")
        return self._client


def _register(settings: Settings, endpoints: DiscordEndpoints) -> Any:
    if not settings.discord_client_id or settings.discord_client_secret is None:
        return None
    oauth = OAuth()
    return oauth.register(
        "discord",
        client_id=settings.discord_client_id,
        client_secret=settings.discord_client_secret.get_secret_value(),
        authorize_url=endpoints.authorize_url,
        access_token_url=endpoints.token_url,
        api_base_url=endpoints.api_base_url,
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_post",
            "timeout": HTTP_TIMEOUT_S,
        },
    )


def _grant(token: Any) -> DiscordGrant:
    access_token = token.get("access_token")
    if not isinstance(access_token, str) or not access_token:
        logger.warning("Discord's token endpoint answered no access token")
        raise DiscordUnavailable("no access token in Discord's answer")
    return DiscordGrant(access_token, _lifetime(token.get("expires_in")))


def _lifetime(expires_in: object) -> int:
    """Seconds the token lives; 0 (used for this login only, never kept) when unusable."""
    if isinstance(expires_in, str) and expires_in.isdecimal() and len(expires_in) <= 9:
        return int(expires_in)
    if isinstance(expires_in, int) and not isinstance(expires_in, bool):
        return max(expires_in, 0)
    return 0


def _parse(model: type[Model], raw: Any) -> Model:
    try:
        return model.model_validate(raw)
    except ValidationError:
        raise DiscordUnavailable(f"unexpected {model.__name__} payload") from None


def _error_code(error: AuthlibBaseError) -> str:
    code = str(error.error)
    return code if _ERROR_CODE.fullmatch(code) else "unrecognised_error"


def _unavailable(error: Exception) -> DiscordUnavailable:
    # The exception's text may carry a URL; its type is enough to tell what went wrong.
    logger.warning("Discord is unreachable: %s", type(error).__name__)
    return DiscordUnavailable(type(error).__name__)
