"""Jinja2 templates (autoescaped) and the headers every dashboard page carries."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from app.api.dashboard.form_problems import field_label
from app.api.dashboard.page_text import TEMPLATE_GLOBALS
from app.core.wording import capitalised

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# No inline script or style anywhere: the pages need only our own stylesheet and one script,
# and may be framed or posted to by nobody else.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Pages show one person's data: no shared cache may keep them.
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    """Built on the first page, not at import time."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Jinja's `capitalize` lowers the rest ("kogot-7"); problems keep their names as written.
    env.filters.update(field_label=field_label, capitalised=capitalised)
    # The words of a page: functions of the request's language, never a language themselves.
    env.globals.update(TEMPLATE_GLOBALS)
    return env


def render(
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers={**PAGE_HEADERS, **(headers or {})})
