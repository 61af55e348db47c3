"""A PNG reduced to the chunks that draw it, checksums verified, nothing decoded."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

import pytest
from PIL import Image

from app.shared.png_chunks import MalformedPng, drawing_chunks_only


def chunk(kind: bytes, body: bytes, *, crc: int | None = None) -> bytes:
    checksum = zlib.crc32(kind + body) if crc is None else crc
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)


def chunk_types(png: bytes) -> list[bytes]:
    kinds, offset = [], 8
    while offset < len(png):
        length, kind = struct.unpack_from(">I4s", png, offset)
        kinds.append(kind)
        offset += 12 + length
    return kinds


def palette_png() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("P", (40, 20), 3)
    image.putpalette([value % 256 for value in range(768)])
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def with_before_end(png: bytes, *chunks: bytes) -> bytes:
    end = png.rindex(b"IEND") - 4
    return png[:end] + b"".join(chunks) + png[end:]


def test_a_png_with_only_drawing_chunks_is_kept_byte_for_byte() -> None:
    png = palette_png()

    assert drawing_chunks_only(png) == png
    assert chunk_types(png) == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]


def test_metadata_and_bytes_after_the_end_are_dropped_and_the_pixels_kept() -> None:
    png = palette_png()
    decorated = with_before_end(
        png,
        chunk(b"tEXt", b"Comment\x00posted from home"),
        chunk(b"eXIf", b"MM\x00*\x00\x00\x00\x08\x00\x00"),
        chunk(b"tIME", bytes(7)),
    )
    polyglot = decorated + b"PK\x03\x04 a zip archive hiding after the image"

    kept = drawing_chunks_only(polyglot)

    assert kept == png
    with Image.open(io.BytesIO(kept)) as image:
        assert image.getpixel((5, 5)) == 3


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        pytest.param(lambda png: png[: len(png) - 20], "past the end", id="truncated"),
        pytest.param(lambda png: png[: png.rindex(b"IEND") - 4], "no IEND", id="no-end"),
        pytest.param(
            lambda png: with_before_end(png, chunk(b"tEXt", b"a\x00b", crc=0)),
            "checksum",
            id="bad-ancillary-checksum",
        ),
        pytest.param(lambda png: b"GIF89a" + png[6:], "signature", id="not-a-png"),
    ],
)
def test_a_broken_layout_is_malformed(broken: Callable[[bytes], bytes], reason: str) -> None:
    with pytest.raises(MalformedPng, match=reason):
        drawing_chunks_only(broken(palette_png()))


def test_a_pixel_chunk_with_a_wrong_checksum_is_malformed() -> None:
    png = bytearray(palette_png())
    idat = png.index(b"IDAT")
    png[idat + 4] ^= 0xFF  # the first byte of the compressed pixels

    with pytest.raises(MalformedPng, match="IDAT"):
        drawing_chunks_only(bytes(png))
