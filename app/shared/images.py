"""Screenshots made ready for Gemini: decoded safely, downscaled to a tile budget, re-encoded.

Size: Gemini bills an image per 768x768 tile (258 tokens each), so the image is scaled to the
largest size, never above the original, that fits a budget of tiles. The default budget is
4 tiles: a 1920x1080 screenshot becomes 1536x864 (1,032 tokens instead of 1,548 for 6 tiles),
keeping 80% of its resolution; a 4:3 photo of a TV becomes 1536x1152, also 4 tiles. A budget
of 2 (1365x768 for 16:9, 516 tokens) would save another ~500 tokens, about $0.0002 a
screenshot at Flash prices, but shrinks the scoreboard's digits, the smallest text on it, to
71% of their 1080p height, where 0/8 and 5/6 start to blur together. A misread costs the
player a correction and poisons their averages, which is worth far more than 500 tokens.

Encoding: JPEG, quality 85, without chroma subsampling. Real scoreboards are drawn over a
blurred 3D scene, where PNG is several times larger than JPEG for no legibility gain; full
chroma resolution keeps thin coloured glyphs (the highlighted gamertag, the team scores)
sharp, at about 25% more bytes than the default 4:2:0. Re-encoding also drops metadata, such
as the location a phone writes into a photo.
"""

from __future__ import annotations

import hashlib
import io
import math
from fractions import Fraction

from PIL import Image, ImageOps

from app.core.ai import ImagePreparer, PreparedImage
from app.core.errors import InvalidAttachment, UnreadableScreenshot
from app.core.screenshots import JPEG, MAX_SCREENSHOTS, PNG, WEBP
from app.shared.gemini.limits import TILE_SIDE, inline_image_budget, tile_count

DEFAULT_MAX_TILES = 4
# An 8K screenshot is 33 MP; anything far beyond is a decompression bomb, not a screenshot.
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_JPEG_QUALITY = 85

_PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG", WEBP: "WEBP"}
# What Pillow raises for a file it cannot decode, from a bad header to a truncated body.
_DECODING_ERRORS = (Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError)
_BACKGROUND = (0, 0, 0)

TOO_LARGE_TO_SEND = (
    "That screenshot is too large to send to the AI, even after shrinking it. "
    "Post a plain screenshot instead."
)


class PillowImagePreparer(ImagePreparer):
    """Decode with Pillow, fit to ``max_tiles`` Gemini tiles, re-encode as JPEG.

    `prepare` is CPU-bound (tens of milliseconds for a 1080p screenshot): async code should
    call it through `asyncio.to_thread`. It keeps no state, so threads can share one instance.
    """

    def __init__(
        self,
        *,
        max_tiles: int = DEFAULT_MAX_TILES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        jpeg_quality: int = DEFAULT_JPEG_QUALITY,
        max_bytes: int | None = None,
    ) -> None:
        if max_tiles < 1:
            raise ValueError("max_tiles must be at least 1")
        self._max_tiles = max_tiles
        self._max_pixels = max_pixels
        self._jpeg_quality = jpeg_quality
        # Each screenshot's share of Gemini's inline request limit, so that any two fit.
        self._max_bytes = inline_image_budget(MAX_SCREENSHOTS) if max_bytes is None else max_bytes

    def prepare(self, data: bytes, mime_type: str) -> PreparedImage:
        """Raise UnreadableScreenshot for anything that does not decode as ``mime_type``."""
        # Of the upload as it was, so the same screenshot posted twice is recognised.
        source_sha256 = hashlib.sha256(data).hexdigest()
        image = self._decode(data, mime_type)
        width, height = fitted_size(image.width, image.height, self._max_tiles)
        if (width, height) != image.size:
            image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        encoded = self._encode(image)
        if len(encoded) > self._max_bytes:
            raise InvalidAttachment(TOO_LARGE_TO_SEND)
        return PreparedImage(encoded, JPEG, width, height, source_sha256)

    def _decode(self, data: bytes, mime_type: str) -> Image.Image:
        pillow_format = _PILLOW_FORMATS.get(mime_type)
        if pillow_format is None:
            raise UnreadableScreenshot()
        try:
            # Limiting Pillow to the detected format is the check that the content really
            # is that format: a PNG signature followed by anything else fails here.
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as opened:
                # `open` reads only the header; refuse bombs before decoding any pixel.
                if opened.width * opened.height > self._max_pixels:
                    raise UnreadableScreenshot()
                upright = ImageOps.exif_transpose(opened)
                return _as_rgb(upright)
        except _DECODING_ERRORS as error:
            raise UnreadableScreenshot() from error

    def _encode(self, image: Image.Image) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=self._jpeg_quality, subsampling=0, optimize=True)
        return buffer.getvalue()


def fitted_size(width: int, height: int, max_tiles: int) -> tuple[int, int]:
    """The largest size, no larger than the original, that Gemini cuts into ``max_tiles``
    tiles at most, keeping the aspect ratio."""
    if tile_count(width, height) <= max_tiles:
        return width, height
    # Try every grid of at most `max_tiles` tiles and keep the one that shrinks the least.
    # Exact fractions: a float scale can round 768 px down to 767.
    scale = max(
        min(
            Fraction(columns * TILE_SIDE, width),
            Fraction(max_tiles // columns * TILE_SIDE, height),
        )
        for columns in range(1, max_tiles + 1)
    )
    # Rounding down keeps each side within its grid's columns and rows.
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def _as_rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency flattened onto black, like the game's own background."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flattened = Image.new("RGBA", rgba.size, (*_BACKGROUND, 255))
        flattened.alpha_composite(rgba)
        return flattened.convert("RGB")
    return image.convert("RGB")
