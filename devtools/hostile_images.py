"""Images built to hurt an image decoder: small files that decode to huge ones.

Tests and `bench/hostile_uploads.py` feed them to the screenshot preparer. Each is built
without ever holding its decoded pixels in memory (PNG rows are compressed as a stream, JPEG
headers are written by hand), so making one costs the test process nothing.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_RGB, _RGBA = 2, 6
_ROWS_PER_CHUNK = 256


@dataclass(frozen=True)
class HostileImage:
    name: str
    data: bytes
    mime_type: str
    width: int
    height: int

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1_000_000


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header(width: int, height: int, colour_type: int = _RGB) -> bytes:
    return PNG_SIGNATURE + png_chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    )


def flat_png(width: int, height: int, *, alpha: bool = False) -> bytes:
    """A complete, valid PNG of transparent or black pixels: a few hundred KB that decode to
    width x height pixels (with ``alpha``, the costliest kind: it is flattened too)."""
    compressor = zlib.compressobj(9)
    channels = 4 if alpha else 3
    row = bytes(1 + channels * width)  # filter byte "none", then zeroed pixels
    parts = [compressor.compress(row * min(_ROWS_PER_CHUNK, height - top)) for top in _rows(height)]
    pixels = b"".join(parts) + compressor.flush()
    header = _png_header(width, height, _RGBA if alpha else _RGB)
    return header + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


def _rows(height: int) -> Iterator[int]:
    return iter(range(0, height, _ROWS_PER_CHUNK))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels but carries almost no data."""
    return (
        _png_header(width, height)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A baseline JPEG whose frame header claims ``width`` x ``height`` and whose data is cut
    short: a real decoder would allocate the whole frame before noticing."""
    small = io.BytesIO()
    Image.new("RGB", (16, 16)).save(small, format="JPEG")
    data = small.getvalue()
    start_of_frame = data.index(b"\xff\xc0")
    # SOF0: marker, length (2), precision (1), height (2), width (2), ...
    dimensions = struct.pack(">HH", height, width)
    return data[: start_of_frame + 5] + dimensions + data[start_of_frame + 9 :]


def large_jpeg(width: int, height: int) -> bytes:
    """A real, complete JPEG: the only builder here that holds the pixels while encoding."""
    image = Image.new("RGB", (width, height), (14, 18, 26))
    image.paste((245, 200, 40), (0, height // 3, width, height // 3 + 64))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def hostile_images() -> list[HostileImage]:
    """The set the memory tests and the benchmark run: images to refuse, and the largest
    screenshots to accept (a dual-4K ultrawide, 7680x2160), as a tiny PNG and a real JPEG."""
    wide, tall = 7680, 2160
    return [
        HostileImage("PNG 7000x7000", flat_png(7000, 7000), "image/png", 7000, 7000),
        HostileImage(
            "RGBA PNG 7000x7000",
            flat_png(7000, 7000, alpha=True),
            "image/png",
            7000,
            7000,
        ),
        HostileImage(
            "PNG header claiming 100000x100000",
            png_claiming(100_000, 100_000),
            "image/png",
            100_000,
            100_000,
        ),
        HostileImage(
            "JPEG header claiming 60000x60000",
            jpeg_claiming(60_000, 60_000),
            "image/jpeg",
            60_000,
            60_000,
        ),
        HostileImage(
            f"RGBA PNG {wide}x{tall}", flat_png(wide, tall, alpha=True), "image/png", wide, tall
        ),
        HostileImage(f"JPEG {wide}x{tall}", large_jpeg(wide, tall), "image/jpeg", wide, tall),
    ]
