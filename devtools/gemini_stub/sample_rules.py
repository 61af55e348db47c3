"""Program the Gemini stub to read the sample screenshots as their manifest says."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from app.core.screenshots import PNG
from app.shared.images import PillowImagePreparer
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule
from devtools.samples.manifest import Manifest, SampleFile, load_manifest

# What the app sends for an uploaded sample: what its image preparer made of it
# (deterministic for one Pillow build).
Prepare = Callable[[SampleFile], bytes]


def as_sent_by_the_app(sample: SampleFile) -> bytes:
    """On the default model (Gemini 3, billed by media resolution): the PNG as uploaded,
    reduced to the chunks that draw it; the samples have no others."""
    return PillowImagePreparer(png_as_uploaded=True).prepare(sample.read_bytes(), PNG).data


def as_prepared_for_tiles(sample: SampleFile) -> bytes:
    """On a model that bills an image by its tiles (Gemini 2.5): downscaled, as JPEG."""
    return PillowImagePreparer().prepare(sample.read_bytes(), PNG).data


def as_uploaded(sample: SampleFile) -> bytes:
    return sample.read_bytes()


# Both ways the app sends a sample, so the sandbox answers whichever model it is set to.
SENT_BY_THE_APP: tuple[Prepare, ...] = (as_sent_by_the_app, as_prepared_for_tiles)


def sample_rules(manifest: Manifest | None = None, prepare: Prepare | None = None) -> list[Rule]:
    """Rules matching each sample's image (and the images it is sent with), as `prepare`
    makes it, or as the app sends it to any model (`SENT_BY_THE_APP`) by default.

    Rules needing more images come later: the stub's newest matching rule answers, so a
    request with a scoreboard and its weapons screenshot gets the answer with weapons. The
    answer carries `readable`, the flag the app's extraction schema asks the model for, and
    the scoreboard's other rows (`lobby`), when the schema asks for them too.
    """
    manifest = manifest or load_manifest()
    forms = SENT_BY_THE_APP if prepare is None else (prepare,)
    ordered = sorted(manifest.samples, key=lambda sample: len(sample.sent_with))
    rules: list[Rule] = []
    for form in forms:
        hashes = {s.file: hashlib.sha256(form(s)).hexdigest() for s in manifest.samples}
        rules += [
            Rule.always(
                Match(image_sha256=tuple(hashes[name] for name in (s.file, *s.sent_with))),
                JsonAnswer(
                    {**s.answer, "lobby": list(s.lobby), "readable": True}, if_asked=("lobby",)
                ),
            )
            for s in ordered
        ]
    return rules


def install_sample_rules(stub: GeminiStub, prepare: Prepare | None = None) -> list[str]:
    """Add the sample rules to ``stub``; returns their rule ids."""
    return [stub.add_rule(rule) for rule in sample_rules(prepare=prepare)]
