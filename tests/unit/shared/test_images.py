"""Preparing screenshots: safe decoding, the tile budget, re-encoding, and the size limit."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from app.core.errors import InvalidAttachment, UnreadableScreenshot
from app.shared.gemini.limits import tile_count
from app.shared.images import PillowImagePreparer, fitted_size
from devtools.hostile_images import flat_png, jpeg_claiming

ORIENTATION = 0x0112
ROTATED_90_CLOCKWISE = 6


def encoded(image: Image.Image, format_name: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_name, **options)
    return buffer.getvalue()


def screenshot(width: int = 1920, height: int = 1080) -> Image.Image:
    image = Image.new("RGB", (width, height), (14, 18, 26))
    image.paste((245, 200, 40), (80, 400, width - 80, 470))
    return image


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels but carries almost no data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + png_chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def preparer() -> PillowImagePreparer:
    return PillowImagePreparer()


@pytest.fixture(scope="module")
def full_hd_png() -> bytes:
    return encoded(screenshot(), "PNG")


def test_full_hd_screenshot_becomes_a_four_tile_jpeg(
    preparer: PillowImagePreparer, full_hd_png: bytes
) -> None:
    prepared = preparer.prepare(full_hd_png, "image/png")

    assert (prepared.width, prepared.height, prepared.mime_type) == (1536, 864, "image/jpeg")
    image = decoded(prepared.data)
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1536, 864))
    assert tile_count(image.width, image.height) == 4
    # The highlighted row survives the trip, colour and all.
    pixel = image.getpixel((768, 348))
    assert isinstance(pixel, tuple)
    assert sum(abs(got - want) for got, want in zip(pixel, (245, 200, 40), strict=True)) < 30


def test_hash_is_of_the_original_bytes_and_preparing_is_deterministic(
    preparer: PillowImagePreparer, full_hd_png: bytes
) -> None:
    first = preparer.prepare(full_hd_png, "image/png")
    second = preparer.prepare(full_hd_png, "image/png")

    assert first.source_sha256 == hashlib.sha256(full_hd_png).hexdigest()
    assert first.data == second.data


def test_small_images_are_never_upscaled(preparer: PillowImagePreparer) -> None:
    prepared = preparer.prepare(encoded(screenshot(640, 360), "PNG"), "image/png")

    assert (prepared.width, prepared.height) == (640, 360)


def test_tile_budget_is_a_constructor_parameter(full_hd_png: bytes) -> None:
    prepared = PillowImagePreparer(max_tiles=2).prepare(full_hd_png, "image/png")

    assert (prepared.width, prepared.height) == (1365, 768)


@pytest.mark.parametrize(
    ("size", "fitted"),
    [
        ((1920, 1080), (1536, 864)),
        ((2560, 1440), (1536, 864)),
        ((3840, 2160), (1536, 864)),
        ((4032, 3024), (1536, 1152)),
        ((3440, 1440), (1834, 768)),
        ((1080, 2340), (768, 1664)),
        ((1280, 720), (1280, 720)),
    ],
)
def test_fitted_sizes_of_common_screens(size: tuple[int, int], fitted: tuple[int, int]) -> None:
    assert fitted_size(*size, max_tiles=4) == fitted


@given(
    width=st.integers(min_value=1, max_value=10_000),
    height=st.integers(min_value=1, max_value=10_000),
    max_tiles=st.integers(min_value=1, max_value=8),
)
def test_fitted_size_fits_the_budget_without_growing_or_distorting(
    width: int, height: int, max_tiles: int
) -> None:
    new_width, new_height = fitted_size(width, height, max_tiles)

    assert tile_count(new_width, new_height) <= max_tiles
    assert new_width <= width
    assert new_height <= height
    # Rounding moves each side by less than one of its original pixels from the exact scale.
    assert abs(new_width / width - new_height / height) <= 1 / min(width, height)


@pytest.mark.parametrize(
    ("format_name", "mime_type"), [("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_jpeg_and_webp_uploads_are_prepared(
    preparer: PillowImagePreparer, format_name: str, mime_type: str
) -> None:
    prepared = preparer.prepare(encoded(screenshot(), format_name), mime_type)

    assert (prepared.width, prepared.height) == (1536, 864)


def test_exif_rotation_is_applied(preparer: PillowImagePreparer) -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATED_90_CLOCKWISE
    photo = encoded(screenshot(300, 100), "JPEG", exif=exif.tobytes())

    prepared = preparer.prepare(photo, "image/jpeg")

    assert (prepared.width, prepared.height) == (100, 300)
    assert ORIENTATION not in decoded(prepared.data).getexif()


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(Image.new("RGBA", (64, 64), (255, 255, 255, 0)), id="rgba"),
        pytest.param(Image.new("LA", (64, 64), (255, 0)), id="grey-alpha"),
        pytest.param(Image.new("P", (64, 64), 0), id="palette"),
        pytest.param(Image.new("L", (64, 64), 128), id="grey"),
    ],
)
def test_any_pixel_mode_becomes_rgb_with_transparency_on_black(
    preparer: PillowImagePreparer, image: Image.Image
) -> None:
    prepared = preparer.prepare(encoded(image, "PNG"), "image/png")

    result = decoded(prepared.data)
    assert result.mode == "RGB"
    if image.mode in ("RGBA", "LA"):
        assert result.getpixel((32, 32)) == (0, 0, 0)


@pytest.mark.parametrize(
    ("data", "mime_type"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"garbage" * 100, "image/png", id="forged-png"),
        pytest.param(b"\xff\xd8\xff" + b"\0" * 500, "image/jpeg", id="forged-jpeg"),
        pytest.param(b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 100, "image/webp", id="forged-webp"),
        pytest.param(encoded(screenshot(64, 64), "JPEG"), "image/png", id="jpeg-called-png"),
        pytest.param(encoded(screenshot(64, 64), "GIF"), "image/gif", id="unsupported-type"),
    ],
)
def test_anything_that_does_not_decode_as_its_type_is_unreadable(
    preparer: PillowImagePreparer, data: bytes, mime_type: str
) -> None:
    with pytest.raises(UnreadableScreenshot):
        preparer.prepare(data, mime_type)


def test_a_truncated_png_is_unreadable(preparer: PillowImagePreparer, full_hd_png: bytes) -> None:
    with pytest.raises(UnreadableScreenshot):
        preparer.prepare(full_hd_png[: len(full_hd_png) // 2], "image/png")


def test_images_above_the_pixel_limit_are_refused_before_decoding() -> None:
    small_limit = PillowImagePreparer(max_pixels=100 * 100)

    with pytest.raises(InvalidAttachment) as refusal:
        small_limit.prepare(encoded(screenshot(101, 100), "PNG"), "image/png")
    assert refusal.value.user_message == (
        "That image has more pixels than any screen (101×100): Debrief reads screenshots of "
        "up to 0.01 megapixels (a 4K screenshot is 8.3). Post a screenshot of your screen."
    )
    assert small_limit.prepare(encoded(screenshot(100, 100), "PNG"), "image/png")


def test_the_default_pixel_limit_takes_a_dual_4k_screen_and_nothing_larger() -> None:
    preparer = PillowImagePreparer()

    assert preparer.max_pixels == 7680 * 2160
    prepared = preparer.prepare(flat_png(7680, 2160), "image/png")
    assert (prepared.width, prepared.height) == (2730, 768)
    with pytest.raises(InvalidAttachment, match=r"\(7000×7000\).* 16.6 megapixels"):
        preparer.prepare(flat_png(7000, 7000), "image/png")


@pytest.mark.parametrize(
    ("width", "height"), [(8_000, 8_000), (20_000, 20_000), (100_000, 100_000)]
)
@pytest.mark.timeout(5)
def test_a_decompression_bomb_is_refused_quickly(
    preparer: PillowImagePreparer, width: int, height: int
) -> None:
    # Decoding 64 million to 10 billion pixels would take up to gigabytes; the header is
    # enough to refuse them (the first is under Pillow's own limit, only over ours).
    with pytest.raises(InvalidAttachment, match="more pixels than any screen") as raised:
        preparer.prepare(png_header_only(width, height), "image/png")

    # Refused on the header's numbers, not after an attempt to decode the pixels.
    cause = raised.value.__cause__
    assert cause is None or isinstance(cause, Image.DecompressionBombError)


def test_a_jpeg_header_claiming_a_huge_frame_is_refused(preparer: PillowImagePreparer) -> None:
    with pytest.raises(InvalidAttachment, match="more pixels than any screen"):
        preparer.prepare(jpeg_claiming(60_000, 60_000), "image/jpeg")


@pytest.mark.parametrize(
    ("image", "mime_type"),
    [
        pytest.param(screenshot(7680, 2160), "image/jpeg", id="jpeg-drafted"),
        pytest.param(screenshot(7680, 2160), "image/png", id="png-reduced"),
        pytest.param(screenshot(7680, 2160).convert("P"), "image/png", id="palette-reduced"),
    ],
)
def test_large_images_shrunk_while_decoding_keep_their_content(
    preparer: PillowImagePreparer, image: Image.Image, mime_type: str
) -> None:
    format_name = "JPEG" if mime_type == "image/jpeg" else "PNG"

    prepared = preparer.prepare(encoded(image, format_name), mime_type)

    assert (prepared.width, prepared.height) == (2730, 768)
    # The highlighted row (rows 400-470 of 2160) is still there, in colour, at 768/2160 scale.
    pixel = decoded(prepared.data).getpixel((1365, 154))
    assert isinstance(pixel, tuple)
    assert sum(abs(got - want) for got, want in zip(pixel, (245, 200, 40), strict=True)) < 40


def test_a_large_rotated_photo_is_shrunk_then_turned_upright(
    preparer: PillowImagePreparer,
) -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATED_90_CLOCKWISE
    photo = encoded(screenshot(4000, 1000), "JPEG", exif=exif.tobytes())

    prepared = preparer.prepare(photo, "image/jpeg")

    assert (prepared.width, prepared.height) == fitted_size(1000, 4000, max_tiles=4)


def test_a_large_transparent_png_is_flattened_on_black(preparer: PillowImagePreparer) -> None:
    prepared = preparer.prepare(flat_png(7680, 2160, alpha=True), "image/png")

    assert decoded(prepared.data).getpixel((100, 100)) == (0, 0, 0)


def test_a_result_too_large_to_send_is_an_invalid_attachment(full_hd_png: bytes) -> None:
    with pytest.raises(InvalidAttachment, match="too large to send"):
        PillowImagePreparer(max_bytes=1_000).prepare(full_hd_png, "image/png")


def test_tile_budget_must_allow_one_tile() -> None:
    with pytest.raises(ValueError, match="max_tiles"):
        PillowImagePreparer(max_tiles=0)
