"""HTTP answers shaped like Discord's, down to the headers clients rely on."""

from __future__ import annotations

import json
import math
from typing import Any

from aiohttp import web

from .errors import DiscordHTTPError


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # discord.py only parses JSON when Content-Type is exactly this; aiohttp's json_response
    # would append "; charset=utf-8" and break the client's login.
    response = web.Response(status=status, body=json.dumps(payload).encode(), headers=headers)
    response.headers["Content-Type"] = "application/json"
    return response


def no_content() -> web.Response:
    return web.Response(status=204)


def error_response(error: DiscordHTTPError) -> web.Response:
    return json_response(error.to_payload(), status=error.status)


def rate_limited(
    retry_after: float, *, is_global: bool, scope: str, bucket_headers: dict[str, str] | None = None
) -> web.Response:
    """A 429 as Discord's edge sends it: clients retry only when `Via` is present."""
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "X-RateLimit-Scope": scope,
        **(bucket_headers or {}),
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {
        "message": "You are being rate limited.",
        "retry_after": round(retry_after, 3),
        "global": is_global,
    }
    return json_response(body, status=429, headers=headers)
