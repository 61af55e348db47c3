"""The cookies of a web session, their scopes and their flags, in one place.

- `debrief_access`: the access JWT; HttpOnly, SameSite=Lax, Path=/, lives as long as the JWT.
- `debrief_refresh`: the opaque refresh token; HttpOnly, SameSite=Strict, only sent to
  /api/v1/auth, so no other route ever sees it.
- `debrief_csrf`: readable by our pages, which echo it in `X-CSRF-Token` (double submit);
  signed for the session, so one planted from another session is refused (csrf.py).
- `debrief_discord`: the sealed Discord token for snapshot refreshes; like the refresh cookie.
- `debrief_oauth`: Starlette's session during the Discord round trip (state, PKCE verifier).

All are Secure, except in development or the sandbox served over plain http, where a browser
would otherwise drop them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from starlette.responses import Response

from app.api.auth.sessions import IssuedSession
from app.shared.settings import Environment, Settings

ACCESS_COOKIE = "debrief_access"
REFRESH_COOKIE = "debrief_refresh"
CSRF_COOKIE = "debrief_csrf"
DISCORD_COOKIE = "debrief_discord"
OAUTH_SESSION_COOKIE = "debrief_oauth"
AUTH_PATH = "/api/v1/auth"

SameSite = Literal["lax", "strict"]


def cookies_are_secure(settings: Settings) -> bool:
    """Always in production; elsewhere unless the API is served over plain http."""
    plain_http = urlsplit(settings.public_base_url).scheme == "http"
    return settings.debrief_env is Environment.PRODUCTION or not plain_http


@dataclass(frozen=True, slots=True)
class SessionCookies:
    secure: bool

    def write_session(self, response: Response, session: IssuedSession) -> None:
        self.write_access(response, session.access_token, session.access_max_age)
        self.write_refresh(response, session.refresh_token, session.refresh_max_age)
        self.write_csrf(response, session.csrf_token, session.refresh_max_age)

    def write_access(self, response: Response, token: str, max_age: int) -> None:
        self._set(response, ACCESS_COOKIE, token, max_age, path="/", same_site="lax")

    def write_refresh(self, response: Response, token: str, max_age: int) -> None:
        self._set(response, REFRESH_COOKIE, token, max_age, path=AUTH_PATH, same_site="strict")

    def write_csrf(self, response: Response, token: str, max_age: int) -> None:
        self._set(response, CSRF_COOKIE, token, max_age, path="/", http_only=False)

    def write_discord(self, response: Response, sealed: str, max_age: int) -> None:
        self._set(response, DISCORD_COOKIE, sealed, max_age, path=AUTH_PATH, same_site="strict")

    def clear(self, response: Response) -> None:
        for name, path in ((ACCESS_COOKIE, "/"), (REFRESH_COOKIE, AUTH_PATH), (CSRF_COOKIE, "/")):
            response.delete_cookie(name, path=path, secure=self.secure, httponly=True)
        self.clear_discord(response)

    def clear_discord(self, response: Response) -> None:
        response.delete_cookie(DISCORD_COOKIE, path=AUTH_PATH, secure=self.secure, httponly=True)

    def _set(
        self,
        response: Response,
        name: str,
        value: str,
        max_age: int,
        *,
        path: str,
        same_site: SameSite = "lax",
        http_only: bool = True,
    ) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=path,
            secure=self.secure,
            httponly=http_only,
            samesite=same_site,
        )
