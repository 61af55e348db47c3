"""What "Login with Discord" needs besides the database, built once with the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response

from app.api.auth.access_log import redact_login_queries_in_access_log
from app.api.auth.cookies import (
    AUTH_PATH,
    DISCORD_COOKIE,
    OAUTH_SESSION_COOKIE,
    SessionCookies,
    cookies_are_secure,
)
from app.api.auth.discord import DiscordGrant, DiscordLogin
from app.api.auth.keys import DISCORD_SEAL_PURPOSE, OAUTH_SESSION_PURPOSE, derived_key
from app.api.auth.sealed import DiscordTokenSeal
from app.shared.settings import Settings

# Time to approve on Discord's page; the state and PKCE verifier are worthless afterwards.
OAUTH_SESSION_MAX_AGE_S = 10 * 60


@dataclass(frozen=True, slots=True)
class WebLogin:
    discord: DiscordLogin
    cookies: SessionCookies
    seal: DiscordTokenSeal

    def keep_grant(
        self, response: Response, grant: DiscordGrant, now: datetime, *, at_most: int
    ) -> None:
        """Seal the Discord token into its cookie, for snapshot refreshes (ADR 0004)."""
        if grant.expires_in > 0:
            sealed = self.seal.seal(grant, now)
            self.cookies.write_discord(response, sealed, min(grant.expires_in, at_most))

    def kept_grant(self, request: Request, now: datetime) -> DiscordGrant | None:
        sealed = request.cookies.get(DISCORD_COOKIE)
        return self.seal.open(sealed, now) if sealed else None


def install_web_login(app: FastAPI, settings: Settings) -> None:
    """Add the login components, the OAuth session middleware and private access logs."""
    secure = cookies_are_secure(settings)
    app.state.web_login = WebLogin(
        discord=DiscordLogin(settings),
        cookies=SessionCookies(secure=secure),
        seal=DiscordTokenSeal(derived_key(settings, DISCORD_SEAL_PURPOSE)),
    )
    # Only the Discord round trip uses this session (Authlib keeps state and the PKCE
    # verifier in it): its own short-lived cookie, sent to the auth routes alone. Lax, since
    # the callback is a top-level navigation coming from discord.com.
    app.add_middleware(
        SessionMiddleware,
        secret_key=derived_key(settings, OAUTH_SESSION_PURPOSE).hex(),
        session_cookie=OAUTH_SESSION_COOKIE,
        max_age=OAUTH_SESSION_MAX_AGE_S,
        path=AUTH_PATH,
        same_site="lax",
        https_only=secure,
    )
    redact_login_queries_in_access_log()
