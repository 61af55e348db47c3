"""Authentication as a dependency: `principal: CurrentPrincipal` on every protected route."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request, status
from starlette.datastructures import State

from app.api.auth.active_sessions import ActiveSessions
from app.api.auth.cookies import ACCESS_COOKIE as ACCESS_COOKIE
from app.api.auth.cookies import CSRF_COOKIE as CSRF_COOKIE
from app.api.auth.cookies import REFRESH_COOKIE as REFRESH_COOKIE
from app.api.auth.csrf import CsrfTokens
from app.api.auth.keys import CSRF_PURPOSE, derived_key
from app.api.auth.principal import Principal
from app.api.auth.recent_users import RecentUsers
from app.api.auth.refresh_tokens import RefreshTokens
from app.api.auth.sessions import Sessions
from app.api.auth.tokens import LEEWAY, AccessClaims, AccessTokens, InvalidToken
from app.api.auth.web_login import WebLogin
from app.api.deps import RuntimeDep
from app.core.accounts import User
from app.core.i18n import N_
from app.shared.runtime import Runtime

logger = logging.getLogger(__name__)

CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEARER = "bearer "
EXPIRED_OR_INVALID = N_("Your session has expired or is invalid; log in again.")
WRONG_CSRF = N_("Missing or wrong CSRF token.")


def install_session_checks(state: State, runtime: Runtime) -> None:
    """What every authenticated request needs, built once per process (the cache is local)."""
    settings = runtime.settings
    state.access_tokens = AccessTokens(settings, runtime.dependencies.clock)
    state.csrf_tokens = CsrfTokens(derived_key(settings, CSRF_PURPOSE))
    state.active_sessions = ActiveSessions(
        runtime.dependencies.refresh_tokens,
        ttl=timedelta(seconds=settings.session_check_ttl_s),
        revoked_ttl=state.access_tokens.lifetime + LEEWAY,
    )
    state.recent_users = RecentUsers(
        runtime.dependencies.users, ttl=timedelta(seconds=settings.session_check_ttl_s)
    )


def get_access_tokens(request: Request) -> AccessTokens:
    return cast(AccessTokens, request.app.state.access_tokens)


AccessTokensDep = Annotated[AccessTokens, Depends(get_access_tokens)]


def get_csrf_tokens(request: Request) -> CsrfTokens:
    return cast(CsrfTokens, request.app.state.csrf_tokens)


CsrfTokensDep = Annotated[CsrfTokens, Depends(get_csrf_tokens)]


def get_active_sessions(request: Request) -> ActiveSessions:
    return cast(ActiveSessions, request.app.state.active_sessions)


ActiveSessionsDep = Annotated[ActiveSessions, Depends(get_active_sessions)]


def get_recent_users(request: Request) -> RecentUsers:
    return cast(RecentUsers, request.app.state.recent_users)


RecentUsersDep = Annotated[RecentUsers, Depends(get_recent_users)]


def get_web_login(request: Request) -> WebLogin:
    return cast(WebLogin, request.app.state.web_login)


WebLoginDep = Annotated[WebLogin, Depends(get_web_login)]


def get_sessions(
    runtime: RuntimeDep,
    access_tokens: AccessTokensDep,
    csrf_tokens: CsrfTokensDep,
    active_sessions: ActiveSessionsDep,
) -> Sessions:
    refresh_tokens = RefreshTokens(
        runtime.dependencies.refresh_tokens,
        runtime.dependencies.clock,
        timedelta(days=runtime.settings.refresh_token_ttl_days),
        on_revoked=active_sessions.revoked,
    )
    return Sessions(access_tokens, refresh_tokens, csrf_tokens)


SessionsDep = Annotated[Sessions, Depends(get_sessions)]


def unauthorized(detail: str = N_("Log in to use this.")) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def current_principal(
    request: Request,
    access_tokens: AccessTokensDep,
    csrf_tokens: CsrfTokensDep,
    active_sessions: ActiveSessionsDep,
    recent_users: RecentUsersDep,
) -> Principal:
    token, via_cookie = _presented_token(request)
    if token is None:
        raise unauthorized()
    try:
        claims = access_tokens.verify(token)
    except InvalidToken:
        raise unauthorized(EXPIRED_OR_INVALID) from None
    if via_cookie and request.method not in SAFE_METHODS:
        _check_csrf(request, csrf_tokens, claims.session_id)
    user = await user_of_live_session(claims, recent_users, active_sessions)
    return Principal.of(user, via_cookie=via_cookie, session_id=claims.session_id)


async def user_of_live_session(
    claims: AccessClaims, recent_users: RecentUsers, active_sessions: ActiveSessions
) -> User:
    """The user an access token names, while its session lasts; 401 otherwise."""
    # Logged out, or revoked after a refresh-token reuse: its access tokens end with it.
    if not await active_sessions.is_active(claims.session_id):
        logger.info("access token refused: its session has ended")
        raise unauthorized(EXPIRED_OR_INVALID)
    user = await recent_users.get(claims.discord_id)
    if user is None:
        raise unauthorized()
    return user


def _presented_token(request: Request) -> tuple[str | None, bool]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith(BEARER):
        return header[len(BEARER) :].strip() or None, False
    return request.cookies.get(ACCESS_COOKIE), True


def _check_csrf(request: Request, csrf_tokens: CsrfTokens, session_id: str) -> None:
    # Double submit, bound to the session: a page of ours reads the CSRF cookie and echoes it
    # in a header, and the token must have been signed for this very session (see csrf.py).
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not csrf_tokens.accepts(cookie, header, session_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=WRONG_CSRF)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
