"""The landing page, the session-renewal page, and logging out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from app.api.auth.cookies import cookies_are_secure
from app.api.auth.dependencies import SessionsDep, WebLoginDep
from app.api.auth.redirects import safe_next
from app.api.dashboard.forms import PostedForm
from app.api.dashboard.templating import PAGE_HEADERS, render
from app.api.dashboard.visitor import DASHBOARD_HOME, MaybeVisitor, VisitorDep
from app.api.deps import RuntimeDep
from app.api.language import LANGUAGE_COOKIE
from app.core.i18n import Language

router = APIRouter(include_in_schema=False)

MATCHES_PAGE = "/dashboard/matches"
NextPage = Annotated[str | None, Query(alias="next", max_length=512)]
# The picker's choice is kept a year: it is a preference, not a session.
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


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


@router.get("/language")
async def choose_language(request: Request, runtime: RuntimeDep, lang: str = "") -> Response:
    """The language picker of every page: remembers the choice (blank: follow the browser's
    Accept-Language again) and goes back to the page it was made on (its Referer, which our
    Referrer-Policy sends only to ourselves)."""
    response = see_other(_page_of(request.headers.get("referer")))
    secure = cookies_are_secure(runtime.settings)
    if lang not in set(Language):
        response.delete_cookie(LANGUAGE_COOKIE, path="/", secure=secure, httponly=True)
    else:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=LANGUAGE_COOKIE_SECONDS,
            path="/",
            secure=secure,
            httponly=True,
            samesite="lax",
        )
    return response


def _page_of(referer: str | None) -> str:
    """The page of ours a Referer names (its path and query), else the landing page."""
    parts = urlsplit(referer or "")
    page = safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))
    return page if page.startswith(DASHBOARD_HOME) else "/"
