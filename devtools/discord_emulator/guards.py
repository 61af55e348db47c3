"""Checks on request bodies; every refusal is also recorded as a contract violation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiohttp import web

from .bodies import RequestBody
from .core import EmulatorCore
from .errors import REQUEST_TOO_LARGE, BodyError, DiscordHTTPError, invalid_form_body
from .limits import check_file_count, check_message
from .routing import API_PREFIX
from .violations import Source

BODY_KEY: web.RequestKey[RequestBody] = web.RequestKey("body", RequestBody)


def body_of(request: web.Request) -> RequestBody:
    return request.get(BODY_KEY) or RequestBody(None, request.content_type)


def check_against_spec(core: EmulatorCore, request: web.Request, body: RequestBody) -> None:
    if core.spec is None or body.payload is None:
        return
    api_path = request.path.removeprefix(API_PREFIX)
    operation = core.spec.operation(request.method, api_path)
    if operation is None:
        return
    errors = core.spec.validate(operation, body.payload, body.media_type)
    if errors:
        raise _reject(core, request, "spec", errors, body.payload, operation.operation_id)


def check_message_body(
    core: EmulatorCore, request: web.Request, body: RequestBody, under: str | None = None
) -> None:
    """Discord's message limits (content, embeds, files) for a create or edit body.

    `under` names the key holding the message when it is nested (a callback's `data`).
    """
    payload = body.payload
    at: tuple[str, ...] = ()
    if under is not None:
        payload = payload.get(under) if isinstance(payload, dict) else None
        at = (under,)
    errors = check_message(payload, at) + check_file_count(len(body.files))
    if errors:
        raise _reject(core, request, "limits", errors, body.payload)
    limit = core.config.attachment_size_limit
    too_big = [f for f in body.files if len(f.data) > limit]
    if too_big:
        core.violations.record(
            request.method,
            request.path,
            None,
            "limits",
            [
                BodyError(
                    ("files", too_big[0].index), "FILE_TOO_LARGE", f"File exceeds {limit} bytes"
                )
            ],
            body.payload,
        )
        raise DiscordHTTPError(413, REQUEST_TOO_LARGE, "Request entity too large")


def _reject(
    core: EmulatorCore,
    request: web.Request,
    source: Source,
    errors: Sequence[BodyError],
    payload: Any,
    operation_id: str | None = None,
) -> DiscordHTTPError:
    core.violations.record(request.method, request.path, operation_id, source, errors, payload)
    return invalid_form_body(errors)
