"""A PNG reduced to the chunks that draw it: header, palette, pixel data, end.

Everything else goes: text chunks (a comment, the software, anything a tool wrote), Exif
(which can hold a location), timestamps, colour profiles (the JPEG a screenshot was turned
into before carried none either), and any bytes after the end chunk, where a polyglot file
hides its other format. The pixel data is copied as it is, so nothing is decoded or
re-encoded here, and every chunk's checksum is verified on the way.
"""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What a decoder needs to draw an opaque image (transparency is never kept: see images.py).
DRAWING_CHUNKS = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
_LENGTH_AND_TYPE = struct.Struct(">I4s")
_CHECKSUM = struct.Struct(">I")


class MalformedPng(ValueError):
    """The chunk layout is broken: a length past the end, a bad checksum, no end chunk."""


def drawing_chunks_only(data: bytes) -> bytes:
    """``data`` with only `DRAWING_CHUNKS`, in their order, up to and including IEND."""
    if not data.startswith(SIGNATURE):
        raise MalformedPng("no PNG signature")
    view = memoryview(data)
    kept: list[bytes | memoryview] = [SIGNATURE]
    offset = len(SIGNATURE)
    while offset + _LENGTH_AND_TYPE.size <= len(data):
        length, kind = _LENGTH_AND_TYPE.unpack_from(data, offset)
        end = offset + _LENGTH_AND_TYPE.size + length + _CHECKSUM.size
        if end > len(data):
            raise MalformedPng(f"{kind!r} runs past the end of the file")
        checked = view[offset + 4 : end - _CHECKSUM.size]  # the type and the data
        if zlib.crc32(checked) != _CHECKSUM.unpack_from(data, end - _CHECKSUM.size)[0]:
            raise MalformedPng(f"{kind!r} fails its checksum")
        if kind in DRAWING_CHUNKS:
            kept.append(view[offset:end])
        if kind == b"IEND":
            return b"".join(kept)
        offset = end
    raise MalformedPng("no IEND chunk")
