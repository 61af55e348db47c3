"""The landing page, the session-renewal page, and logging out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from starlette.responses import RedirectResponse, Response

from app.api.auth.dependencies import SessionsDep, WebLoginDep
from app.api.auth.redirects import safe_next
from app.api.dashboard.forms import PostedForm
from app.api.dashboard.templating import PAGE_HEADERS, render
from app.api.dashboard.visitor import DASHBOARD_HOME, MaybeVisitor, VisitorDep

router = APIRouter(include_in_schema=False)

MATCHES_PAGE = "/dashboard/matches"
NextPage = Annotated[str | None, Query(alias="next", max_length=512)]


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers=PAGE_HEADERS)


def after_login(next_page: str | None) -> str:
    """A dashboard page to land on: `next` when it is one of ours, else the matches."""
    target = safe_next(next_page)
    return target if target.startswith(DASHBOARD_HOME) else MATCHES_PAGE


@router.get("/")
async def landing(visitor: MaybeVisitor, next_page: NextPage = None) -> Response:
    """What Debrief is, and Login with Discord; a logged-in visitor goes to their dashboard."""
    if visitor is not None:
        return see_other(after_login(next_page))
    login_url = "/api/v1/auth/login?" + urlencode({"next": after_login(next_page)})
    return render("landing.html", {"visitor": None, "login_url": login_url})


@router.get("/dashboard")
async def dashboard_home(visitor: VisitorDep) -> Response:
    return see_other(MATCHES_PAGE)


@router.get("/dashboard/session")
async def session_page(next_page: NextPage = None) -> Response:
    """Renews an expired access cookie through /api/v1/auth/resume (a form, auto-submitted)."""
    return render("session.html", {"visitor": None, "next_page": after_login(next_page)})


@router.post("/dashboard/logout")
async def logout(
    visitor: VisitorDep, form: PostedForm, sessions: SessionsDep, web_login: WebLoginDep
) -> Response:
    """Ends this session (as /api/v1/auth/logout does) and clears its cookies."""
    principal = visitor.principal
    await sessions.end(principal.session_id, principal.discord_id, None)
    response = see_other("/")
    web_login.cookies.clear(response)
    return response
