"""Authentication as a dependency: `principal: CurrentPrincipal` on every protected route."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request, status

from app.api.auth.cookies import ACCESS_COOKIE as ACCESS_COOKIE
from app.api.auth.cookies import CSRF_COOKIE as CSRF_COOKIE
from app.api.auth.cookies import REFRESH_COOKIE as REFRESH_COOKIE
from app.api.auth.principal import Principal
from app.api.auth.refresh_tokens import RefreshTokens
from app.api.auth.sessions import Sessions
from app.api.auth.tokens import AccessTokens, InvalidToken
from app.api.auth.web_login import WebLogin
from app.api.deps import RuntimeDep

CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEARER = "bearer "


def get_access_tokens(request: Request) -> AccessTokens:
    return cast(AccessTokens, request.app.state.access_tokens)


AccessTokensDep = Annotated[AccessTokens, Depends(get_access_tokens)]


def get_web_login(request: Request) -> WebLogin:
    return cast(WebLogin, request.app.state.web_login)


WebLoginDep = Annotated[WebLogin, Depends(get_web_login)]


def get_sessions(runtime: RuntimeDep, access_tokens: AccessTokensDep) -> Sessions:
    refresh_tokens = RefreshTokens(
        runtime.dependencies.refresh_tokens,
        runtime.dependencies.clock,
        timedelta(days=runtime.settings.refresh_token_ttl_days),
    )
    return Sessions(access_tokens, refresh_tokens)


SessionsDep = Annotated[Sessions, Depends(get_sessions)]


def unauthorized(detail: str = "Log in to use this.") -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def current_principal(
    request: Request, runtime: RuntimeDep, tokens: AccessTokensDep
) -> Principal:
    token, via_cookie = _presented_token(request)
    if token is None:
        raise unauthorized()
    try:
        claims = tokens.verify(token)
    except InvalidToken:
        raise unauthorized("Your session has expired or is invalid; log in again.") from None
    if via_cookie and request.method not in SAFE_METHODS:
        _check_csrf(request)
    user = await runtime.dependencies.users.get_by_discord_id(claims.discord_id)
    if user is None:
        raise unauthorized()
    return Principal.of(user, via_cookie=via_cookie)


def _presented_token(request: Request) -> tuple[str | None, bool]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith(BEARER):
        return header[len(BEARER) :].strip() or None, False
    return request.cookies.get(ACCESS_COOKIE), True


def _check_csrf(request: Request) -> None:
    # Double submit: a page of ours can read the CSRF cookie and echo it in a header; another
    # site can make the browser send our cookies, but can neither read them nor set headers.
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie, header):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="Missing or wrong CSRF token.")


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
