"""A browser's dashboard session without the Discord round trip: the cookies a login sets."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from app.api.auth.cookies import ACCESS_COOKIE, CSRF_COOKIE
from app.api.auth.csrf import CsrfTokens
from app.api.auth.tokens import AccessTokens
from app.shared.runtime import Runtime
from tests.support.log_guard import remember_secret
from tests.support.sessions import start_session


async def log_in_cookies(app: FastAPI, client: httpx.AsyncClient, discord_id: int) -> str:
    """Set the access and CSRF cookies of a new session on `client`; returns the CSRF token."""
    runtime: Runtime = app.state.runtime
    session_id = await start_session(runtime.dependencies.refresh_tokens, discord_id)
    access_tokens: AccessTokens = app.state.access_tokens
    csrf_tokens: CsrfTokens = app.state.csrf_tokens
    token, _ = access_tokens.issue(discord_id, session_id)
    csrf = csrf_tokens.issue(session_id)
    remember_secret("access token", token)
    client.cookies.set(ACCESS_COOKIE, token)
    client.cookies.set(CSRF_COOKIE, csrf)
    return csrf
