"""Reading request bodies the way Discord accepts them: JSON, or multipart with payload_json."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from .errors import DiscordHTTPError

INVALID_JSON = 50109
_FILE_FIELD = re.compile(r"^files\[(\d+)\]$")


@dataclass(frozen=True)
class UploadedFile:
    index: int
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class RequestBody:
    payload: Any  # None when the request had no body
    media_type: str
    files: list[UploadedFile] = field(default_factory=list)


async def read_body(request: web.Request) -> RequestBody:
    media_type = request.content_type
    if media_type == "multipart/form-data":
        return await _read_multipart(request)
    raw = await request.read()
    if not raw:
        return RequestBody(None, media_type)
    if media_type != "application/json":
        return RequestBody(None, media_type)
    return RequestBody(_parse_json(raw), media_type)


async def _read_multipart(request: web.Request) -> RequestBody:
    payload: Any = None
    files: list[UploadedFile] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        name = part.name or ""
        if name == "payload_json":
            payload = _parse_json(await part.read())
        elif match := _FILE_FIELD.match(name):
            files.append(
                UploadedFile(
                    index=int(match.group(1)),
                    filename=part.filename or f"file{match.group(1)}",
                    content_type=part.headers.get("Content-Type", "application/octet-stream"),
                    data=bytes(await part.read()),
                )
            )
    return RequestBody(payload, "multipart/form-data", files)


def _parse_json(raw: bytes | bytearray) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DiscordHTTPError(
            400, INVALID_JSON, "The request body contains invalid JSON."
        ) from None
