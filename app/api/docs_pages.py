"""/docs (Swagger UI) and /redoc, served with their scripts and styles from this API.

FastAPI's own pages load them from a CDN, so on a machine offline (the sandbox on a train)
they were blank. The `fastapi-offline` package ships the same Swagger UI and ReDoc builds;
they are served here from its folder, and the pages refer to nothing else.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

# The pages load their scripts, styles and images from this API and nothing else: ReDoc's
# bundle would fetch its maker's logo from a CDN (it hides the logo when that fails).
ONLY_OUR_IMAGES = {"Content-Security-Policy": "img-src 'self' data:"}
# Swagger UI would show a badge from the public spec validator for a spec on a public host.
NO_VALIDATOR = {"validatorUrl": None}
DOCS_URL = "/docs"
REDOC_URL = "/redoc"
ASSETS_URL = "/docs-assets"


def install_docs_pages(app: FastAPI) -> None:
    """For an app created with `docs_url=None, redoc_url=None`."""
    app.mount(ASSETS_URL, StaticFiles(directory=_assets_dir()), name="docs-assets")
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url or f"{DOCS_URL}/oauth2-redirect"

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=f"{root}{oauth2_redirect_url}",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            swagger_ui_parameters={**NO_VALIDATOR, **(app.swagger_ui_parameters or {})},
        )
        page.headers.update(ONLY_OUR_IMAGES)
        return page

    @app.get(oauth2_redirect_url, include_in_schema=False)
    async def swagger_ui_oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
        page.headers.update(ONLY_OUR_IMAGES)
        return page


def _assets_dir() -> Path:
    return Path(str(files("fastapi_offline") / "static"))
