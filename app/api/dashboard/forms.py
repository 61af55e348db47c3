"""A dashboard form, accepted only from our own pages and with the session's CSRF token.

Browsers send `Origin` with every form POST, so a form posted from another origin is refused
first (as /api/v1/auth/refresh refuses it); the hidden `csrf_token` field then plays the role
of the API's `X-CSRF-Token` header: it must repeat the CSRF cookie, signed for this session.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from app.api.auth.cookies import CSRF_COOKIE
from app.api.auth.dependencies import WRONG_CSRF, CsrfTokensDep
from app.api.auth.origins import ensure_same_origin
from app.api.dashboard.visitor import VisitorDep
from app.api.deps import RuntimeDep
from app.api.forms import read_form

CSRF_FIELD = "csrf_token"


async def posted_form(
    request: Request, visitor: VisitorDep, runtime: RuntimeDep, csrf_tokens: CsrfTokensDep
) -> dict[str, str]:
    """The form's fields, once its origin and its CSRF token are checked."""
    ensure_same_origin(request, runtime.settings)
    fields = await read_form(request)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not csrf_tokens.accepts(cookie, fields.get(CSRF_FIELD, ""), visitor.principal.session_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=WRONG_CSRF)
    return fields


PostedForm = Annotated[dict[str, str], Depends(posted_form)]
