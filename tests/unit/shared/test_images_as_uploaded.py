"""PNGs sent as uploaded, for a model that bills an image the same at any size (Gemini 3).

Everything else about preparing is in test_images.py: here, which PNGs go as they are, that
they still have to decode completely first, and that their metadata does not go with them.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image

from app.core.errors import InvalidAttachment, UnreadableScreenshot
from app.shared.images import PillowImagePreparer
from devtools.hostile_images import flat_png

PNG, JPEG = "image/png", "image/jpeg"
ORIENTATION = 0x0112


@pytest.fixture(scope="module")
def preparer() -> PillowImagePreparer:
    return PillowImagePreparer(png_as_uploaded=True)


def screenshot(width: int = 1920, height: int = 1080, mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", (width, height), (14, 18, 26))
    image.paste((245, 200, 40), (80, 400, width - 80, 470))
    return image.convert(mode)


def encoded(image: Image.Image, format_name: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_name, **options)
    return buffer.getvalue()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def before_end(png: bytes, *chunks: bytes) -> bytes:
    end = png.rindex(b"IEND") - 4
    return png[:end] + b"".join(chunks) + png[end:]


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


@pytest.mark.parametrize("mode", ["RGB", "L", "P"])
def test_an_opaque_png_goes_as_uploaded_with_the_hash_of_the_upload(
    preparer: PillowImagePreparer, mode: str
) -> None:
    upload = encoded(screenshot(mode=mode))

    sent = preparer.prepare(upload, PNG)

    assert sent.data == upload
    assert (sent.mime_type, sent.width, sent.height) == (PNG, 1920, 1080)
    assert sent.source_sha256 == hashlib.sha256(upload).hexdigest()


def test_its_metadata_and_anything_after_its_end_stay_behind(
    preparer: PillowImagePreparer,
) -> None:
    clean = encoded(screenshot())
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # as a phone writes it, location and all
    upload = (
        before_end(
            clean,
            chunk(b"tEXt", b"Comment\x00taken at home"),
            chunk(b"eXIf", exif.tobytes()),
        )
        + b"trailing bytes of another format"
    )

    sent = preparer.prepare(upload, PNG)

    assert sent.data == clean
    assert sent.source_sha256 == hashlib.sha256(upload).hexdigest(), "the upload's, not the sent"


def test_two_uploads_differing_only_in_metadata_send_the_same_image(
    preparer: PillowImagePreparer,
) -> None:
    clean = encoded(screenshot(640, 360))
    one = preparer.prepare(before_end(clean, chunk(b"tEXt", b"n\x001")), PNG)
    other = preparer.prepare(before_end(clean, chunk(b"tEXt", b"n\x002")), PNG)

    assert one.data == other.data
    assert one.source_sha256 != other.source_sha256


@pytest.mark.parametrize(
    "forged",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"garbage" * 100, id="signature-then-garbage"),
        pytest.param(encoded(screenshot(64, 64), "JPEG"), id="jpeg-called-png"),
    ],
)
def test_a_forged_png_is_still_unreadable(preparer: PillowImagePreparer, forged: bytes) -> None:
    with pytest.raises(UnreadableScreenshot):
        preparer.prepare(forged, PNG)


def test_a_truncated_png_is_unreadable(preparer: PillowImagePreparer) -> None:
    upload = encoded(screenshot())

    with pytest.raises(UnreadableScreenshot):
        preparer.prepare(upload[: len(upload) // 2], PNG)


def test_pixels_that_do_not_inflate_are_unreadable_though_every_checksum_holds(
    preparer: PillowImagePreparer,
) -> None:
    upload = encoded(screenshot(64, 64))
    start = upload.index(b"IDAT") - 4
    (length,) = struct.unpack_from(">I", upload, start)
    garbage = chunk(b"IDAT", bytes(range(256)) * (length // 256 + 1))
    forged = upload[:start] + garbage + upload[start + 12 + length :]

    with pytest.raises(UnreadableScreenshot):
        preparer.prepare(forged, PNG)


def test_the_pixel_cap_still_refuses_before_decoding() -> None:
    small_limit = PillowImagePreparer(max_pixels=100 * 100, png_as_uploaded=True)

    with pytest.raises(InvalidAttachment, match="more pixels than any screen"):
        small_limit.prepare(encoded(screenshot(101, 100)), PNG)


def test_a_transparent_png_is_prepared_flattened_on_black(preparer: PillowImagePreparer) -> None:
    sent = preparer.prepare(flat_png(640, 360, alpha=True), PNG)

    assert sent.mime_type == JPEG
    with Image.open(io.BytesIO(sent.data)) as image:
        assert image.getpixel((100, 100)) == (0, 0, 0)


def test_a_rotated_png_is_prepared_upright(preparer: PillowImagePreparer) -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotated 90° clockwise
    upload = before_end(encoded(screenshot(300, 100)), chunk(b"eXIf", exif.tobytes()))

    sent = preparer.prepare(upload, PNG)

    assert (sent.mime_type, sent.width, sent.height) == (JPEG, 100, 300)


def test_a_png_over_the_byte_budget_is_prepared_instead() -> None:
    # Film grain: several times larger as a PNG than as the prepared JPEG.
    grain = Image.effect_noise((1200, 675), 20)
    upload = encoded(Image.merge("RGB", [grain, grain, grain]))
    budget = len(upload) - 1

    sent = PillowImagePreparer(max_bytes=budget, png_as_uploaded=True).prepare(upload, PNG)

    assert sent.mime_type == JPEG
    assert len(sent.data) <= budget


def test_jpeg_uploads_are_still_prepared(preparer: PillowImagePreparer) -> None:
    sent = preparer.prepare(encoded(screenshot(), "JPEG"), JPEG)

    assert (sent.mime_type, sent.width, sent.height) == (JPEG, 1536, 864)


def test_the_image_sent_as_uploaded_has_the_uploads_pixels(
    preparer: PillowImagePreparer,
) -> None:
    upload = encoded(screenshot())

    assert pixels(preparer.prepare(upload, PNG).data) == pixels(upload)
    assert PillowImagePreparer().prepare(upload, PNG).mime_type == JPEG, "off by default"
