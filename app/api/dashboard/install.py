"""Adds the dashboard to the API app: its pages, its stylesheet and script, its redirects."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from app.api.dashboard import pages_home, pages_matches, pages_servers, pages_trends
from app.api.dashboard.error_pages import DashboardErrorPages, on_go_to
from app.api.dashboard.visitor import GoTo

STATIC = Path(__file__).resolve().parent.parent / "static"
STATIC_PATH = "/static"


def error_pages() -> DashboardErrorPages:
    return DashboardErrorPages()


def install_dashboard(app: FastAPI) -> None:
    app.add_exception_handler(GoTo, on_go_to)
    for pages in (pages_home, pages_matches, pages_trends, pages_servers):
        app.include_router(pages.router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC), name="static")
