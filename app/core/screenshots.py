"""Which uploads can be read as screenshots, decided by their bytes alone.

A file's name and declared content type come from the user's device and prove nothing: a PDF
renamed `scoreboard.png` is still a PDF. The type is read from the first bytes instead.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence

from app.core.commands import Upload
from app.core.errors import InvalidAttachment
from app.core.i18n import N_, _

PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"

MAX_SCREENSHOTS = 2
WRONG_COUNT_MESSAGE = N_(
    "Attach one or two screenshots: the scoreboard, and optionally the weapons screen."
)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_BYTES_PER_MB = 1024 * 1024
# SHA-256 runs at about 1.2 GB/s on the 2-core machine of docs/performance.md: up to this size
# (under a millisecond) it is hashed on the event loop; larger uploads in a thread, where
# hashlib releases the GIL.
_HASHED_ON_THE_LOOP = 1024 * 1024
_SHOWN_NAME_LENGTH = 60


def detect_image_type(data: bytes) -> str | None:
    """The MIME type of a PNG, JPEG or WEBP image, from its signature; None for anything else."""
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    if data.startswith(_JPEG_SIGNATURE):
        return JPEG
    # RIFF container: "RIFF", 4 bytes of length, then the form type.
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


def check_uploads(uploads: Sequence[Upload], *, size_limit: int) -> list[tuple[Upload, str]]:
    """Each upload with its detected MIME type, or InvalidAttachment saying what is wrong."""
    if not 1 <= len(uploads) <= MAX_SCREENSHOTS:
        raise InvalidAttachment(_(WRONG_COUNT_MESSAGE))
    return [(upload, _checked_type(upload, size_limit)) for upload in uploads]


def _checked_type(upload: Upload, size_limit: int) -> str:
    name = shown_name(upload.filename)
    if not upload.data:
        raise InvalidAttachment(_("`{file}` is empty.", file=name))
    if len(upload.data) > size_limit:
        raise InvalidAttachment(
            _("`{file}` is larger than {limit}.", file=name, limit=format_megabytes(size_limit))
        )
    mime_type = detect_image_type(upload.data)
    if mime_type is None:
        raise InvalidAttachment(_("`{file}` is not a PNG, JPEG or WEBP image.", file=name))
    return mime_type


async def upload_hashes(uploads: Sequence[Upload]) -> tuple[str, ...]:
    """The SHA-256 of each upload as it was uploaded: what recognises a screenshot posted
    again, known without waiting for it to be prepared."""
    return tuple([await _sha256(upload.data) for upload in uploads])


async def _sha256(data: bytes) -> str:
    if len(data) <= _HASHED_ON_THE_LOOP:
        return hashlib.sha256(data).hexdigest()
    return await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())


def shown_name(filename: str) -> str:
    """A file name safe to put between backticks in a short message."""
    name = filename.replace("`", "'").strip() or "file"
    if len(name) > _SHOWN_NAME_LENGTH:
        return name[: _SHOWN_NAME_LENGTH - 1] + "…"
    return name


def format_megabytes(size: int) -> str:
    """``10485760`` → ``"10 MB"``; ``1572864`` → ``"1.5 MB"``."""
    megabytes = round(size / _BYTES_PER_MB, 1)
    return f"{megabytes:g} MB"
