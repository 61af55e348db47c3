"""Who is looking at a page: the session cookie's user, or a redirect to where they can log in.

An access cookie lives as long as its token (15 minutes by default); the refresh cookie is
sent to /api/v1/auth alone. So a page without a valid access cookie sends the browser to
/dashboard/session, whose form renews the session there and comes back, if the CSRF cookie
(as long-lived as the refresh token) says a session may still be running; otherwise to the
landing page, to log in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request

from app.api.auth.cookies import ACCESS_COOKIE, CSRF_COOKIE
from app.api.auth.dependencies import (
    AccessTokensDep,
    ActiveSessionsDep,
    RecentUsersDep,
    user_of_live_session,
)
from app.api.auth.principal import Principal
from app.api.auth.redirects import safe_next
from app.api.auth.tokens import InvalidToken
from app.api.ratelimit import read_slot
from app.core.accounts import User

DASHBOARD_HOME = "/dashboard"
SESSION_PAGE = "/dashboard/session"
LANDING_PAGE = "/"


class GoTo(Exception):
    """Answered with a 303 to `location`: a page the visitor must see first."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@dataclass(frozen=True, slots=True)
class Visitor:
    principal: Principal
    user: User
    # The session's CSRF token, from its cookie: every form of the page repeats it.
    csrf_token: str

    @property
    def name(self) -> str:
        return self.user.global_name or self.user.username


def coming_back_to(request: Request) -> str:
    """Where to return after logging in: this page for a GET, the dashboard after a form."""
    if request.method != "GET":
        return DASHBOARD_HOME
    query = request.url.query
    return safe_next(request.url.path + (f"?{query}" if query else ""))


def away(request: Request) -> GoTo:
    """To renew a session that may still be running, or else to log in."""
    target = SESSION_PAGE if request.cookies.get(CSRF_COOKIE) else LANDING_PAGE
    return GoTo(f"{target}?{urlencode({'next': coming_back_to(request)})}")


async def find_visitor(
    request: Request,
    access_tokens: AccessTokensDep,
    active_sessions: ActiveSessionsDep,
    recent_users: RecentUsersDep,
) -> Visitor | None:
    """The logged-in visitor, or None; never a Bearer token (pages are a browser's)."""
    token = request.cookies.get(ACCESS_COOKIE)
    if not token:
        return None
    try:
        claims = access_tokens.verify(token)
        user = await user_of_live_session(claims, recent_users, active_sessions)
    except (InvalidToken, HTTPException):
        return None
    principal = Principal.of(user, via_cookie=True, session_id=claims.session_id)
    return Visitor(principal, user, request.cookies.get(CSRF_COOKIE, ""))


MaybeVisitor = Annotated[Visitor | None, Depends(find_visitor)]


async def page_visitor(request: Request, visitor: MaybeVisitor) -> AsyncIterator[Visitor]:
    """The visitor of a page that needs one, counted against their reads like an API GET."""
    if visitor is None:
        raise away(request)
    async with read_slot(request, visitor.principal.discord_id):
        yield visitor


VisitorDep = Annotated[Visitor, Depends(page_visitor)]
