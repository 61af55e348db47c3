"""OAuth2 authorization-code flow as Discord runs it, for the web API's "Login with Discord".

The authorize step approves at once as the configured test user (by default the
application's owner). Codes live 10 minutes and work once; PKCE supports S256 only; clients
authenticate with client_secret_post or HTTP Basic; refresh tokens rotate on use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from .clock import Clock
from .config import EmulatorConfig
from .models import JSON
from .state import EmulatorState

CODE_LIFETIME_SECONDS = 600
KNOWN_SCOPES = frozenset(
    {
        "identify",
        "email",
        "guilds",
        "guilds.members.read",
        "connections",
        "applications.commands",
        "bot",
        "openid",
    }
)


class OAuthError(Exception):
    """An OAuth2 error response: `{"error": ..., "error_description": ...}`."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def to_payload(self) -> JSON:
        return {"error": self.error, "error_description": self.description}


@dataclass(frozen=True)
class AuthorizationCode:
    user_id: int
    redirect_uri: str
    scopes: tuple[str, ...]
    code_challenge: str | None
    expires_at: float


@dataclass(frozen=True)
class Grant:
    user_id: int
    scopes: tuple[str, ...]
    expires_at: float


class OAuthProvider:
    def __init__(self, state: EmulatorState, clock: Clock, config: EmulatorConfig) -> None:
        self._state = state
        self._clock = clock
        self._config = config
        self.user_id = state.application.owner.id
        self._codes: dict[str, AuthorizationCode] = {}
        self._access: dict[str, Grant] = {}
        self._refresh: dict[str, Grant] = {}

    def authorize(self, query: Mapping[str, str]) -> str:
        """Approve an authorization request; returns where to redirect the browser."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != str(self._state.application.id):
            raise OAuthError(400, "invalid_client", "Unknown client_id")
        if not self._redirect_allowed(redirect_uri):
            raise OAuthError(400, "invalid_request", "Invalid redirect_uri")
        state_param = {"state": query["state"]} if "state" in query else {}
        try:
            scopes = self._scopes(query)
            challenge = _code_challenge(query)
        except OAuthError as error:
            return _with_query(
                redirect_uri,
                {"error": error.error, "error_description": error.description, **state_param},
            )
        code = secrets.token_urlsafe(24)
        self._codes[code] = AuthorizationCode(
            self.user_id,
            redirect_uri,
            scopes,
            challenge,
            self._clock.now() + CODE_LIFETIME_SECONDS,
        )
        return _with_query(redirect_uri, {"code": code, **state_param})

    def exchange(self, form: Mapping[str, str], basic: tuple[str, str] | None) -> JSON:
        """POST /oauth2/token for the authorization_code and refresh_token grants."""
        self._authenticate_client(form, basic)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._issue(self._redeem_code(form))
        if grant_type == "refresh_token":
            grant = self._refresh.pop(form.get("refresh_token", ""), None)
            if grant is None:
                raise OAuthError(400, "invalid_grant", 'Invalid "refresh_token" in request.')
            return self._issue(grant)
        raise OAuthError(400, "unsupported_grant_type", f"Unsupported grant type {grant_type!r}")

    def revoke(self, form: Mapping[str, str], basic: tuple[str, str] | None) -> None:
        """POST /oauth2/token/revoke: forget an access or refresh token."""
        self._authenticate_client(form, basic)
        token = form.get("token", "")
        self._access.pop(token, None)
        self._refresh.pop(token, None)

    def grant_for(self, access_token: str, scope: str | None = None) -> Grant:
        grant = self._access.get(access_token)
        if grant is None or grant.expires_at <= self._clock.now():
            raise OAuthError(401, "invalid_token", "401: Unauthorized")
        if scope is not None and scope not in grant.scopes:
            raise OAuthError(403, "insufficient_scope", f"The {scope} scope is required")
        return grant

    def _redeem_code(self, form: Mapping[str, str]) -> Grant:
        code = self._codes.pop(form.get("code", ""), None)
        if code is None or code.expires_at <= self._clock.now():
            raise OAuthError(400, "invalid_grant", 'Invalid "code" in request.')
        if form.get("redirect_uri") != code.redirect_uri:
            raise OAuthError(400, "invalid_grant", 'Invalid "redirect_uri" in request.')
        if code.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if not hmac.compare_digest(_s256(verifier), code.code_challenge):
                raise OAuthError(400, "invalid_grant", 'Invalid "code_verifier"')
        return Grant(code.user_id, code.scopes, 0.0)

    def _issue(self, grant: Grant) -> JSON:
        lifetime = self._config.oauth_token_lifetime_seconds
        access, refresh = secrets.token_urlsafe(30), secrets.token_urlsafe(30)
        issued = Grant(grant.user_id, grant.scopes, self._clock.now() + lifetime)
        self._access[access] = issued
        self._refresh[refresh] = issued
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "refresh_token": refresh,
            "scope": " ".join(grant.scopes),
        }

    def _authenticate_client(self, form: Mapping[str, str], basic: tuple[str, str] | None) -> None:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        app = self._state.application
        if client_id != str(app.id) or not hmac.compare_digest(secret, app.client_secret):
            raise OAuthError(401, "invalid_client", "Invalid client credentials")

    def _redirect_allowed(self, uri: str) -> bool:
        registered = self._state.application.redirect_uris
        if registered:
            return uri in registered
        return urlsplit(uri).scheme in ("http", "https")

    def _scopes(self, query: Mapping[str, str]) -> tuple[str, ...]:
        if query.get("response_type") != "code":
            raise OAuthError(400, "unsupported_response_type", "response_type must be code")
        scopes = tuple(query.get("scope", "").split())
        unknown = [scope for scope in scopes if scope not in KNOWN_SCOPES]
        if not scopes or unknown:
            raise OAuthError(400, "invalid_scope", f"Invalid scope(s): {unknown or 'none'}")
        return scopes


def _code_challenge(query: Mapping[str, str]) -> str | None:
    challenge = query.get("code_challenge")
    if challenge is None:
        return None
    if query.get("code_challenge_method") != "S256":
        raise OAuthError(400, "invalid_request", "code_challenge_method must be S256")
    return challenge


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _with_query(uri: str, params: Mapping[str, str]) -> str:
    separator = "&" if urlsplit(uri).query else "?"
    return uri + separator + urlencode(params)
