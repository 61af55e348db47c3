"""Errors of the landing page and the dashboard, as pages a person can read.

The same problem the API would answer (status, title, detail, field list) is rendered into
the page layout; a 401 on a page means "log in", so it shows the login link.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from app.api.dashboard.templating import PAGE_HEADERS, render
from app.api.dashboard.visitor import DASHBOARD_HOME, LANDING_PAGE, GoTo
from app.api.schemas.problems import Problem

# Headers of the problem worth keeping on a page; WWW-Authenticate means nothing to a browser.
_KEPT_HEADERS = ("Retry-After", "Connection")


class DashboardErrorPages:
    """`ErrorPages` for the landing page and everything under /dashboard."""

    def covers(self, path: str) -> bool:
        return path in (LANDING_PAGE, DASHBOARD_HOME) or path.startswith("/dashboard/")

    def render(self, problem: Problem, headers: Mapping[str, str] | None) -> Response:
        kept = {name: value for name, value in (headers or {}).items() if name in _KEPT_HEADERS}
        return render(
            "error.html",
            {"visitor": None, "problem": problem, "fields": problem.errors or []},
            status_code=problem.status,
            headers=kept,
        )


async def on_go_to(request: Request, error: Exception) -> Response:
    assert isinstance(error, GoTo)
    return RedirectResponse(error.location, status_code=303, headers=PAGE_HEADERS)
