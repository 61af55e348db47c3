"""Login with Discord, session renewal and logout, and who is logged in."""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from app.api.auth.cookies import DISCORD_COOKIE, REFRESH_COOKIE
from app.api.auth.dependencies import (
    CurrentPrincipal,
    SessionsDep,
    WebLoginDep,
    get_recent_users,
    unauthorized,
)
from app.api.auth.discord import (
    DiscordGrant,
    DiscordProfile,
    DiscordTokenExpired,
    DiscordUnavailable,
    LoginRefused,
)
from app.api.auth.origins import ensure_same_origin, same_origin
from app.api.auth.redirects import safe_next
from app.api.auth.refresh_tokens import RefreshRefused
from app.api.auth.schemas import AccessTokenPublic, MePublic
from app.api.auth.sessions import IssuedSession, Sessions
from app.api.auth.snapshot import logged_in_user, refresh_guilds
from app.api.auth.web_login import WebLogin
from app.api.deps import RuntimeDep
from app.api.forms import read_form
from app.api.ratelimit import LoginRateLimit, ReadRateLimit
from app.api.schemas.problems import problem_responses
from app.core.accounts import User
from app.core.i18n import N_
from app.shared.runtime import Runtime

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

NEXT_PAGE_KEY = "debrief_next"
NOT_CONFIGURED = N_("Login with Discord is not configured on this server.")
SESSION_ENDED = N_("Your session has ended; log in again.")
LOGIN_REFUSED = N_("This login is invalid or expired; log in again.")
DISCORD_DOWN = N_("Discord did not answer; try again shortly.")


@router.get(
    "/login",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    dependencies=[LoginRateLimit],
)
async def login(
    request: Request,
    web_login: WebLoginDep,
    next_page: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    """Log in with Discord: redirects to Discord, then back to `next` (a path on this site)."""
    if not web_login.discord.configured:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=NOT_CONFIGURED)
    request.session[NEXT_PAGE_KEY] = safe_next(next_page)
    return await web_login.discord.redirect(request)


@router.get("/callback", status_code=status.HTTP_303_SEE_OTHER, response_class=RedirectResponse)
async def callback(
    request: Request, web_login: WebLoginDep, sessions: SessionsDep, runtime: RuntimeDep
) -> Response:
    """Discord sends the browser back here; state and PKCE are checked, then cookies set."""
    grant, profile = await _complete_with_discord(request, web_login)
    now = runtime.dependencies.clock()
    user = await runtime.dependencies.users.upsert(logged_in_user(profile, now))
    get_recent_users(request).forget(user.discord_id)
    session = await sessions.start(user.discord_id)
    next_page = safe_next(request.session.pop(NEXT_PAGE_KEY, None))
    response = RedirectResponse(next_page, status_code=status.HTTP_303_SEE_OTHER)
    web_login.cookies.write_session(response, session)
    web_login.keep_grant(response, grant, now, at_most=session.refresh_max_age)
    logger.info("user %s logged in with %d servers", user.discord_id, len(user.guilds))
    return response


@router.post("/refresh", dependencies=[Depends(same_origin)])
async def refresh(
    request: Request,
    response: Response,
    web_login: WebLoginDep,
    sessions: SessionsDep,
    runtime: RuntimeDep,
) -> AccessTokenPublic:
    """Renew the session with the refresh cookie, which is rotated; reusing an old one ends it.

    Only from our own pages (`Origin`, or `Referer` without it); scripts send `Origin` too.
    """
    user, session = await _renewed(request.cookies.get(REFRESH_COOKIE), sessions, runtime)
    if user is None or session is None:
        raise unauthorized(SESSION_ENDED)
    await _refresh_snapshot(request, response, web_login, runtime, user)
    web_login.cookies.write_session(response, session)
    response.headers["Cache-Control"] = "no-store"
    return AccessTokenPublic(access_token=session.access_token, expires_in=session.access_max_age)


@router.post(
    "/resume",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    dependencies=[Depends(same_origin)],
    include_in_schema=False,
)
async def resume(
    request: Request, web_login: WebLoginDep, sessions: SessionsDep, runtime: RuntimeDep
) -> Response:
    """The dashboard's form version of /refresh: renew, then back to the page (`next`).

    A session that cannot be renewed goes to the landing page to log in, its cookies cleared.
    """
    next_page = safe_next((await read_form(request)).get("next"))
    user, session = await _renewed(request.cookies.get(REFRESH_COOKIE), sessions, runtime)
    if user is None or session is None:
        response = RedirectResponse(
            f"/?{urlencode({'next': next_page})}", status_code=status.HTTP_303_SEE_OTHER
        )
        web_login.cookies.clear(response)
        return response
    response = RedirectResponse(next_page, status_code=status.HTTP_303_SEE_OTHER)
    await _refresh_snapshot(request, response, web_login, runtime, user)
    web_login.cookies.write_session(response, session)
    return response


async def _renewed(
    presented: str | None, sessions: Sessions, runtime: Runtime
) -> tuple[User | None, IssuedSession | None]:
    if not presented:
        return None, None
    try:
        session = await sessions.renew(presented)
    except RefreshRefused:
        return None, None
    return await runtime.dependencies.users.get_by_discord_id(session.user_id), session


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def logout(
    request: Request,
    principal: CurrentPrincipal,
    web_login: WebLoginDep,
    sessions: SessionsDep,
    runtime: RuntimeDep,
) -> Response:
    """Log out: ends this session (its refresh and access tokens) and clears the cookies."""
    if principal.via_cookie:
        ensure_same_origin(request, runtime.settings)
    presented = request.cookies.get(REFRESH_COOKIE)
    await sessions.end(principal.session_id, principal.discord_id, presented)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    web_login.cookies.clear(response)
    return response


@router.get("/me", responses=problem_responses(401, 429), dependencies=[ReadRateLimit])
async def me(principal: CurrentPrincipal, runtime: RuntimeDep) -> MePublic:
    """Who is logged in, and their servers as last read from Discord."""
    user = await runtime.dependencies.users.get_by_discord_id(principal.discord_id)
    if user is None:
        raise unauthorized()
    return MePublic.of(user, principal)


async def _complete_with_discord(
    request: Request, web_login: WebLogin
) -> tuple[DiscordGrant, DiscordProfile]:
    if not web_login.discord.configured:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=NOT_CONFIGURED)
    try:
        grant = await web_login.discord.finish(request)
        return grant, await web_login.discord.profile(grant)
    except LoginRefused:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=LOGIN_REFUSED) from None
    except (DiscordUnavailable, DiscordTokenExpired):
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail=DISCORD_DOWN) from None


async def _refresh_snapshot(
    request: Request, response: Response, web_login: WebLogin, runtime: Runtime, user: User
) -> None:
    now = runtime.dependencies.clock()
    grant = web_login.kept_grant(request, now)
    if grant is None:
        if DISCORD_COOKIE in request.cookies:  # forged, altered or expired
            web_login.cookies.clear_discord(response)
        return
    users = runtime.dependencies.users
    refreshed = await refresh_guilds(web_login.discord, users, user, grant, now)
    get_recent_users(request).forget(user.discord_id)
    if not refreshed:
        web_login.cookies.clear_discord(response)
