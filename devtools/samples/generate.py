"""Render every sample screenshot and its manifest entry, deterministically."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from devtools.samples.manifest import MANIFEST_NAME, Manifest, SampleFile, manifest_text
from devtools.samples.matches import SAMPLE_MATCHES, SampleMatch
from devtools.samples.render import render_scoreboard, render_weapons

logger = logging.getLogger(__name__)

GENERATOR = "python -m devtools.samples"


@dataclass(frozen=True)
class RenderedSample:
    entry: SampleFile
    png: bytes


def render_samples() -> list[RenderedSample]:
    """Every sample, scoreboards before the weapons screenshots that need them."""
    rendered: list[RenderedSample] = []
    for match in SAMPLE_MATCHES:
        scoreboard = _rendered(match, render_scoreboard(match), "scoreboard", sent_with=())
        rendered.append(scoreboard)
        if match.weapons:
            sent_with = (scoreboard.entry.file,)
            rendered.append(_rendered(match, render_weapons(match), "weapons", sent_with))
    return rendered


def build_manifest(samples: list[RenderedSample]) -> Manifest:
    return Manifest(generator=GENERATOR, samples=tuple(sample.entry for sample in samples))


def write_samples(directory: Path) -> Manifest:
    """Write the PNGs and ``manifest.json`` into ``directory``; return the manifest."""
    samples = render_samples()
    for sample in samples:
        (directory / sample.entry.file).write_bytes(sample.png)
        logger.info("wrote %s (%d bytes)", sample.entry.file, len(sample.png))
    manifest = build_manifest(samples)
    (directory / MANIFEST_NAME).write_text(manifest_text(manifest), encoding="utf-8")
    return manifest


def _rendered(
    match: SampleMatch,
    image: Image.Image,
    kind: str,
    sent_with: tuple[str, ...],
) -> RenderedSample:
    png = encode_png(image)
    entry = SampleFile(
        file=f"{match.slug}_{kind}.png",
        sha256=hashlib.sha256(png).hexdigest(),
        kind="weapons" if kind == "weapons" else "scoreboard",
        mode=match.mode,
        match=match.slug,
        width=image.width,
        height=image.height,
        sent_with=sent_with,
        answer=match.stats(with_weapons=kind == "weapons"),
        lobby=tuple(match.lobby()),
    )
    return RenderedSample(entry, png)


def encode_png(image: Image.Image) -> bytes:
    """PNG bytes with no metadata, so equal pixels give equal bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
