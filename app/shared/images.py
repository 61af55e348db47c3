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

Memory: a PNG of a few hundred KB can decode to 49 million pixels (7000x7000), about 200 MB
per copy of the image, and the old pipeline made four copies. Three defences:

- a pixel cap read from the header, before any pixel is decoded: 7680x2160 (16.6 MP), the
  largest screen a player plausibly captures (a dual-4K ultrawide; a 4K console capture is
  8.3 MP, a 5K monitor 14.7 MP). At the cap one RGBA copy is 66 MB;
- decoding reduced where the format allows (JPEG's DCT scaling through `draft`), and
  otherwise shrinking by a whole factor (`Image.reduce`) straight after decoding, before the
  colour conversions and the rotation, so they copy a small image instead of the full one;
- running each decode in a short-lived worker process under a memory ceiling
  (`app/shared/image_workers.py`), so what Pillow allocates goes back to the OS.

PNGs as uploaded (`png_as_uploaded`): Gemini 3 bills an image by the media resolution it is
read at, whatever its size (560 tokens at medium for a 1080p PNG as for its 1536x864 JPEG,
docs/performance.md), so for it the tile budget saves nothing, and shrinking and re-encoding
cost most of the 60 ms a screenshot took to prepare, before anything else of a /debrief could
start. There a PNG that decodes completely, is opaque and upright and fits the byte budget is
sent as uploaded: decoded only to prove it is what it claims (the same checks, in the same
worker), reduced to the chunks that draw it (`app/shared/png_chunks.py`: the metadata goes,
as re-encoding dropped it), its pixels untouched. Anything else is prepared as above.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction

from PIL import Image

from app.core.ai import PreparedImage
from app.core.errors import InvalidAttachment, UnreadableScreenshot
from app.core.i18n import N_, _
from app.core.screenshots import JPEG, MAX_SCREENSHOTS, PNG, WEBP
from app.shared.gemini.limits import TILE_SIDE, inline_image_budget, tile_count
from app.shared.png_chunks import MalformedPng, drawing_chunks_only

DEFAULT_MAX_TILES = 4
# A dual-4K ultrawide (7680x2160) is the largest screen worth supporting; see the docstring.
DEFAULT_MAX_PIXELS = 7680 * 2160
DEFAULT_JPEG_QUALITY = 85
# Shrink by whole factors while the image stays this many times larger than the target, as
# Pillow's own `reducing_gap` does; LANCZOS does the rest. JPEG draft keeps twice the target,
# as Pillow's `thumbnail` does: DCT scaling averages, so it loses nothing the target keeps.
_REDUCING_GAP = 3.0
_DRAFT_GAP = 2
_ORIENTATION = 0x0112
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# The modes `Image.reduce` handles; anything else is converted first.
_REDUCIBLE_MODES = frozenset({"L", "LA", "RGB", "RGBA"})
# Opaque 8-bit modes every decoder draws alike: a PNG in one of them may go as uploaded.
_SENT_AS_UPLOADED_MODES = frozenset({"L", "P", "RGB"})

_PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG", WEBP: "WEBP"}
# What Pillow raises for a file it cannot decode, from a bad header to a truncated body.
_DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError)
_BACKGROUND = (0, 0, 0)

TOO_LARGE_TO_SEND = N_(
    "That screenshot is too large to send to the AI, even after shrinking it. "
    "Post a plain screenshot instead."
)
TOO_MANY_PIXELS = N_(
    "That image has more pixels than any screen: Debrief reads screenshots of up to "
    "{megapixels:.3g} megapixels (a 4K screenshot is 8.3). Post a screenshot of your screen."
)
TOO_MANY_PIXELS_SIZED = N_(
    "That image has more pixels than any screen ({width}×{height}): Debrief reads screenshots "
    "of up to {megapixels:.3g} megapixels (a 4K screenshot is 8.3). Post a screenshot of your "
    "screen."
)


def too_many_pixels(max_pixels: int, size: tuple[int, int] | None = None) -> str:
    megapixels = max_pixels / 1_000_000
    if size is None:
        return _(TOO_MANY_PIXELS, megapixels=megapixels)
    return _(TOO_MANY_PIXELS_SIZED, width=size[0], height=size[1], megapixels=megapixels)


class PillowImagePreparer:
    """Decode with Pillow, fit to ``max_tiles`` Gemini tiles, re-encode as JPEG.

    `prepare` is CPU-bound (tens of milliseconds for a 1080p screenshot) and allocates up to
    a few copies of the capped image, so it is not the core's `ImagePreparer` itself: the bot
    runs it through `IsolatedImagePreparer`, in a worker process. It keeps no state and
    pickles small, so workers get it by value.
    """

    def __init__(
        self,
        *,
        max_tiles: int = DEFAULT_MAX_TILES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        jpeg_quality: int = DEFAULT_JPEG_QUALITY,
        max_bytes: int | None = None,
        png_as_uploaded: bool = False,
    ) -> None:
        """`png_as_uploaded`: for a reader that bills an image the same at any size (see the
        module's docstring); `max_tiles` then applies only to what is still prepared."""
        if max_tiles < 1:
            raise ValueError("max_tiles must be at least 1")
        self._max_tiles = max_tiles
        self._max_pixels = max_pixels
        self._jpeg_quality = jpeg_quality
        # Each screenshot's share of Gemini's inline request limit, so that any two fit.
        self._max_bytes = inline_image_budget(MAX_SCREENSHOTS) if max_bytes is None else max_bytes
        self._png_as_uploaded = png_as_uploaded

    @property
    def max_pixels(self) -> int:
        return self._max_pixels

    def prepare(self, data: bytes, mime_type: str) -> PreparedImage:
        """Raise UnreadableScreenshot for anything that does not decode as ``mime_type``, and
        InvalidAttachment for an image with more pixels than ``max_pixels``."""
        # Of the upload as it was, so the same screenshot posted twice is recognised.
        source_sha256 = hashlib.sha256(data).hexdigest()
        if self._png_as_uploaded and mime_type == PNG:
            as_uploaded = self._as_uploaded(data, source_sha256)
            if as_uploaded is not None:
                return as_uploaded
        image = self._decode(data, mime_type)
        width, height = fitted_size(image.width, image.height, self._max_tiles)
        if (width, height) != image.size:
            image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        encoded = self._encode(image)
        if len(encoded) > self._max_bytes:
            raise InvalidAttachment(_(TOO_LARGE_TO_SEND))
        return PreparedImage(encoded, JPEG, width, height, source_sha256)

    def _as_uploaded(self, data: bytes, source_sha256: str) -> PreparedImage | None:
        """The PNG reduced to its drawing chunks, once it decoded completely; None when it
        must be prepared instead (transparent, rotated, another mode, too many bytes)."""
        with self._opened(data, PNG) as opened:
            if opened.mode not in _SENT_AS_UPLOADED_MODES or _has_alpha(opened):
                return None
            opened.load()
            if opened.getexif().get(_ORIENTATION, 1) != 1:
                return None
            size = opened.size
        try:
            kept = drawing_chunks_only(data)
        except MalformedPng as error:
            raise UnreadableScreenshot() from error
        if len(kept) > self._max_bytes:
            return None
        return PreparedImage(kept, PNG, size[0], size[1], source_sha256)

    @contextmanager
    def _opened(self, data: bytes, mime_type: str) -> Iterator[Image.Image]:
        """The image with only its header read, checked against the pixel cap; a decoding
        error anywhere in the block is UnreadableScreenshot."""
        pillow_format = _PILLOW_FORMATS.get(mime_type)
        if pillow_format is None:
            raise UnreadableScreenshot()
        try:
            # Limiting Pillow to the detected format is the check that the content really
            # is that format: a PNG signature followed by anything else fails here.
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as opened:
                # `open` reads only the header; refuse bombs before decoding any pixel.
                if opened.width * opened.height > self._max_pixels:
                    raise InvalidAttachment(too_many_pixels(self._max_pixels, opened.size))
                yield opened
        except Image.DecompressionBombError as error:
            # Pillow's own, larger limit, met in `open` before ours: refused the same way.
            raise InvalidAttachment(too_many_pixels(self._max_pixels)) from error
        except _DECODING_ERRORS as error:
            raise UnreadableScreenshot() from error

    def _decode(self, data: bytes, mime_type: str) -> Image.Image:
        """The image upright, in RGB, already shrunk close to its target size."""
        with self._opened(data, mime_type) as opened:
            # The target in the file's own orientation: the tile grid is symmetric.
            target = fitted_size(opened.width, opened.height, self._max_tiles)
            # JPEG only (a no-op elsewhere): decode at 1/2, 1/4 or 1/8 scale, no smaller
            # than the target.
            opened.draft(None, target)
            opened.load()
            orientation = opened.getexif().get(_ORIENTATION)
            # Each step may copy the image: shrink first, so the later ones copy less.
            image = _flattened(_reduced(_reducible(opened), target))
        # Closing `opened` freed the full-size decode if a smaller copy was made.
        return image.transpose(_UPRIGHT[orientation]) if orientation in _UPRIGHT else image

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


def _reducible(image: Image.Image) -> Image.Image:
    if image.mode in _REDUCIBLE_MODES:
        return image
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _reduced(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """Shrunk by the largest whole factor that keeps it `_REDUCING_GAP` times the target."""
    factor = int(min(image.width / target[0], image.height / target[1]) / _REDUCING_GAP)
    return image.reduce(factor) if factor > 1 else image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _flattened(image: Image.Image) -> Image.Image:
    """RGB, with any transparency flattened onto black, like the game's own background.

    Pasting through the alpha channel onto a black image costs one RGB copy; converting and
    compositing in RGBA would cost three.
    """
    if not _has_alpha(image):
        return image if image.mode == "RGB" else image.convert("RGB")
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, _BACKGROUND)
    flat.paste(rgba, mask=rgba)
    return flat
