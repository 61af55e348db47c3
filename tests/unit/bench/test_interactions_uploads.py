"""Each benchmark upload is new to the bot's dedupe, yet still read as its sample."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image

from app.shared.images import PillowImagePreparer
from bench._interactions_uploads import (
    AI_DEBRIEF,
    DEBRIEF_MARKER,
    IEND_CHUNK,
    distinct_uploads,
    scoreboards,
    slow_reading_rules,
    with_text_chunk,
)
from devtools.gemini_stub import JsonAnswer


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_text_chunk_changes_the_bytes_but_not_the_pixels() -> None:
    original = tiny_png()

    marked = with_text_chunk(original, "Comment", "bench upload 7")

    assert marked != original and marked.endswith(IEND_CHUNK)
    with Image.open(io.BytesIO(marked)) as image:
        image.load()
        assert image.text == {"Comment": "bench upload 7"}  # type: ignore[attr-defined]
        with Image.open(io.BytesIO(original)) as before:
            assert image.tobytes() == before.tobytes()


def test_the_chunk_carries_a_valid_crc() -> None:
    marked = with_text_chunk(tiny_png(), "Comment", "x")
    chunk = marked[-len(IEND_CHUNK) - 4 - 4 - len(b"Comment\x00x") - 4 : -len(IEND_CHUNK)]

    length, kind = struct.unpack(">I4s", chunk[:8])
    data, crc = chunk[8:-4], struct.unpack(">I", chunk[-4:])[0]
    assert (kind, length, data) == (b"tEXt", len(b"Comment\x00x"), b"Comment\x00x")
    assert crc == zlib.crc32(kind + data)


def test_anything_but_a_complete_png_is_refused() -> None:
    with pytest.raises(ValueError, match="PNG"):
        with_text_chunk(b"GIF89a", "Comment", "x")
    with pytest.raises(ValueError, match="PNG"):
        with_text_chunk(tiny_png()[:-1], "Comment", "x")
    with pytest.raises(ValueError, match="keyword"):
        with_text_chunk(tiny_png(), "", "x")


def test_uploads_are_all_different_and_cycle_through_the_scoreboards() -> None:
    uploads = list(distinct_uploads(7))
    names = [sample.file for sample in scoreboards()]

    assert len({hashlib.sha256(data).digest() for _, data in uploads}) == 7
    assert [name for name, _ in uploads] == [names[n % len(names)] for n in range(7)]


@pytest.mark.parametrize("png_as_uploaded", [True, False], ids=["gemini-3", "by-tiles"])
def test_the_bot_sends_gemini_the_same_image_for_every_upload_of_a_sample(
    png_as_uploaded: bool,
) -> None:
    preparer = PillowImagePreparer(png_as_uploaded=png_as_uploaded)
    [(_, first), *_, (_, fourth)] = list(distinct_uploads(4))  # both the first scoreboard

    one, other = preparer.prepare(first, "image/png"), preparer.prepare(fourth, "image/png")

    assert one.source_sha256 != other.source_sha256, "new to the dedupe"
    assert one.data == other.data, "recognised by the stub's sample rule"


def test_every_reading_rule_answers_after_the_latency() -> None:
    rules = slow_reading_rules(0.75)

    # Each scoreboard and the two weapons screens, as sent to Gemini 3 and to a model billed
    # by tiles.
    assert len(rules) == 2 * (len(list(scoreboards())) + 2)
    answers = [step.answer for rule in rules for step in rule.steps]
    assert all(isinstance(a, JsonAnswer) and a.latency_s == 0.75 for a in answers)
    assert all(isinstance(a, JsonAnswer) and a.value["readable"] for a in answers)


def test_the_debrief_answer_has_the_shape_the_app_asks_for() -> None:
    assert DEBRIEF_MARKER.startswith("You are the squad's analyst")
    assert set(AI_DEBRIEF) == {"headline", "strengths", "to_work_on"}
