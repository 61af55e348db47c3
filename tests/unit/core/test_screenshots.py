"""Uploads are judged by their bytes: count, emptiness, size, and the image signature."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.core.commands import Upload
from app.core.errors import InvalidAttachment
from app.core.i18n import Language, speaking
from app.core.screenshots import (
    WRONG_COUNT_MESSAGE,
    check_uploads,
    detect_image_type,
    format_megabytes,
)

MB = 1024 * 1024


def encoded(format_name: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=format_name)
    return buffer.getvalue()


def upload(
    data: bytes, filename: str = "scoreboard.png", declared: str | None = "image/png"
) -> Upload:
    return Upload(filename=filename, declared_type=declared, data=data)


PNG_BYTES = encoded("PNG")


@pytest.mark.parametrize(
    ("format_name", "mime_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")],
)
def test_real_images_are_detected_by_their_signature(format_name: str, mime_type: str) -> None:
    assert detect_image_type(encoded(format_name)) == mime_type


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(encoded("GIF"), id="gif"),
        pytest.param(encoded("BMP"), id="bmp"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", id="pdf"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00", id="exe"),
        pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt ", id="wav"),
        pytest.param(b"RIFF", id="short-riff"),
        pytest.param(b"\x89PNG", id="truncated-png-signature"),
        pytest.param(b"", id="empty"),
    ],
)
def test_anything_else_is_not_an_image(data: bytes) -> None:
    assert detect_image_type(data) is None


def test_one_or_two_images_pass_with_their_detected_types() -> None:
    jpeg = upload(encoded("JPEG"), filename="weapons.png", declared="image/png")
    png = upload(PNG_BYTES, filename="scoreboard", declared="application/octet-stream")

    checked = check_uploads([png, jpeg], size_limit=10 * MB)

    assert checked == [(png, "image/png"), (jpeg, "image/jpeg")]


@pytest.mark.parametrize("count", [0, 3])
def test_no_file_or_more_than_two_is_refused(count: int) -> None:
    with pytest.raises(InvalidAttachment) as raised:
        check_uploads([upload(PNG_BYTES)] * count, size_limit=10 * MB)

    assert raised.value.user_message == WRONG_COUNT_MESSAGE


def test_an_empty_file_is_refused_by_name() -> None:
    with pytest.raises(InvalidAttachment, match=r"^`blank.png` is empty\.$"):
        check_uploads([upload(PNG_BYTES), upload(b"", filename="blank.png")], size_limit=MB)


def test_a_file_above_the_limit_is_refused_with_the_limit_in_mb() -> None:
    big = upload(PNG_BYTES + b"\0" * (10 * MB), filename="huge.png")

    with pytest.raises(InvalidAttachment, match=r"^`huge.png` is larger than 10 MB\.$"):
        check_uploads([big], size_limit=10 * MB)


def test_a_file_exactly_at_the_limit_passes() -> None:
    assert check_uploads([upload(PNG_BYTES)], size_limit=len(PNG_BYTES))


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00" + b"\0" * 60, encoded("GIF"), b"%PDF-1.4 fake"],
    ids=["exe", "gif", "pdf"],
)
def test_a_non_image_named_and_declared_as_png_is_refused(data: bytes) -> None:
    evil = upload(data, filename="evil.png", declared="image/png")

    with pytest.raises(InvalidAttachment) as raised:
        check_uploads([evil], size_limit=10 * MB)

    assert raised.value.user_message == "`evil.png` is not a PNG, JPEG or WEBP image."


def test_file_names_cannot_break_out_of_their_backticks_or_run_on() -> None:
    name = "a`b" + "x" * 100 + ".png"

    with pytest.raises(InvalidAttachment) as raised:
        check_uploads([upload(b"", filename=name)], size_limit=MB)

    shown = raised.value.user_message.split("`")[1]
    assert shown.startswith("a'b")
    assert len(shown) == 60
    assert shown.endswith("…")


@pytest.mark.parametrize(
    ("size", "text"),
    [(10 * MB, "10 MB"), (25 * MB, "25 MB"), (MB + MB // 2, "1.5 MB"), (500 * MB, "500 MB")],
)
def test_megabytes_are_shown_briefly(size: int, text: str) -> None:
    assert format_megabytes(size) == text


def test_a_refusal_names_the_file_in_the_readers_language() -> None:
    with speaking(Language.SPANISH), pytest.raises(InvalidAttachment) as raised:
        check_uploads([upload(b"", filename="blank.png")], size_limit=10 * MB)

    assert raised.value.user_message == "`blank.png` está vacío."
