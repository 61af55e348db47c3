"""Distinct uploads of the sample screenshots, and a Gemini stub that answers them slowly.

Every interaction must upload a screenshot the bot has never seen, or its dedupe (by the
upload's SHA-256) would refuse it. A text chunk added to a sample PNG changes the upload's
bytes but not its pixels, and the bot sends Gemini the pixels only (the PNG reduced to the
chunks that draw it, or a re-encoding for a model billed by tiles): the stub still recognises
the sample by the sent image's hash and answers with its stats.
No catch-all rule is needed, so a wrong screenshot would still be refused as in production.
"""

from __future__ import annotations

import dataclasses
import struct
import zlib
from collections.abc import Iterator

from app.shared.gemini.prompts import DEBRIEF_SYSTEM
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule, Step
from devtools.gemini_stub.sample_rules import sample_rules
from devtools.samples import SampleFile, load_manifest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The last chunk of every PNG: length 0, type IEND, CRC.
IEND_CHUNK = b"\x00\x00\x00\x00IEND\xaeB`\x82"

# The debrief task's system prompt, and no other task's, starts with this line.
DEBRIEF_MARKER = DEBRIEF_SYSTEM.splitlines()[0]
AI_DEBRIEF = {
    "headline": "Steady match: the numbers held up",
    "strengths": ["Kills above your recent average", "Objective time well spent"],
    "to_work_on": ["Fewer deaths in the open", "Trade with a teammate more often"],
}


def with_text_chunk(png: bytes, keyword: str, text: str) -> bytes:
    """`png` with a tEXt chunk before its end: other bytes (and hash), the same image."""
    if not png.startswith(PNG_SIGNATURE) or not png.endswith(IEND_CHUNK):
        raise ValueError("not a complete PNG file")
    if not 1 <= len(keyword) <= 79:
        raise ValueError("a PNG text keyword has 1 to 79 characters")
    data = keyword.encode("latin-1") + b"\x00" + text.encode("latin-1")
    body = b"tEXt" + data
    chunk = struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    return png[: -len(IEND_CHUNK)] + chunk + IEND_CHUNK


def scoreboards() -> tuple[SampleFile, ...]:
    """The sample scoreboards (one per ranked mode), each readable on its own."""
    return load_manifest().of_kind("scoreboard")


def distinct_uploads(count: int) -> Iterator[tuple[str, bytes]]:
    """`count` (filename, PNG bytes) uploads, cycling through the scoreboards, all different."""
    samples = [(sample.file, sample.read_bytes()) for sample in scoreboards()]
    for number in range(count):
        name, png = samples[number % len(samples)]
        yield name, with_text_chunk(png, "Comment", f"bench upload {number}")


def slow_reading_rules(latency_s: float) -> list[Rule]:
    """The sample rules (read a sample as its manifest says), each answer taking `latency_s`."""
    return [
        Rule(
            rule.match,
            tuple(
                Step(dataclasses.replace(step.answer, latency_s=latency_s), step.times)
                for step in rule.steps
            ),
        )
        for rule in sample_rules()
    ]


def program_slow_gemini(stub: GeminiStub, latency_s: float) -> None:
    """Forget the sandbox's AI; read the samples and write debriefs, each call taking `latency_s`.

    Both calls of a debrief (read the screenshot, write the debrief) take the same time, as
    a real model would take time for each.
    """
    stub.reset()
    for rule in slow_reading_rules(latency_s):
        stub.add_rule(rule)
    stub.add_rule(
        Rule.always(
            Match(prompt_contains=DEBRIEF_MARKER), JsonAnswer(AI_DEBRIEF, latency_s=latency_s)
        )
    )
