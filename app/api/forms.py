"""HTML form bodies (`application/x-www-form-urlencoded`), read without python-multipart.

The dashboard's forms and the session-resume form post only short text fields; the request
size limits (`request_limits.py`) have already capped the body before it is read here.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import HTTPException, Request, status

from app.core.i18n import N_

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
# More fields than any of our forms has (a correction with ten weapons has about fifty).
MAX_FIELDS = 200
NOT_A_FORM = N_("This page expects an HTML form.")


async def read_form(request: Request) -> dict[str, str]:
    """The fields of a posted form, the last value winning; 400 if the body is not a form."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != FORM_MEDIA_TYPE:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=NOT_A_FORM)
    body = await request.body()
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=NOT_A_FORM) from None
    return dict(pairs)
