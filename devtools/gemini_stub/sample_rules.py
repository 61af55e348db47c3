"""Program the Gemini stub to read the sample screenshots as their manifest says."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from app.shared.images import PillowImagePreparer
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule
from devtools.samples.manifest import Manifest, SampleFile, load_manifest

# What the app sends for an uploaded sample: never the upload itself, but what the image
# preparer made of it (deterministic for one Pillow build).
Prepare = Callable[[SampleFile], bytes]


def as_sent_by_the_app(sample: SampleFile) -> bytes:
    return PillowImagePreparer().prepare(sample.read_bytes(), "image/png").data


def as_uploaded(sample: SampleFile) -> bytes:
    return sample.read_bytes()


def sample_rules(
    manifest: Manifest | None = None, prepare: Prepare = as_sent_by_the_app
) -> list[Rule]:
    """One rule per sample, matching its image (and the images it is sent with).

    Rules needing more images come later: the stub's newest matching rule answers, so a
    request with a scoreboard and its weapons screenshot gets the answer with weapons. The
    answer carries `readable`, the flag the app's extraction schema asks the model for, and
    the scoreboard's other rows (`lobby`), when the schema asks for them too.
    """
    manifest = manifest or load_manifest()
    hashes = {s.file: hashlib.sha256(prepare(s)).hexdigest() for s in manifest.samples}
    ordered = sorted(manifest.samples, key=lambda sample: len(sample.sent_with))
    return [
        Rule.always(
            Match(image_sha256=tuple(hashes[name] for name in (sample.file, *sample.sent_with))),
            JsonAnswer(
                {**sample.answer, "lobby": list(sample.lobby), "readable": True},
                if_asked=("lobby",),
            ),
        )
        for sample in ordered
    ]


def install_sample_rules(stub: GeminiStub, prepare: Prepare = as_sent_by_the_app) -> list[str]:
    """Add the sample rules to ``stub``; returns their rule ids."""
    return [stub.add_rule(rule) for rule in sample_rules(prepare=prepare)]
