"""Program the Gemini stub to read the sample screenshots as their manifest says."""

from __future__ import annotations

from app.devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule
from app.devtools.samples.manifest import Manifest, load_manifest


def sample_rules(manifest: Manifest | None = None) -> list[Rule]:
    """One rule per sample, matching its image (and the images it is sent with).

    Rules needing more images come later: the stub's newest matching rule answers, so a
    request with a scoreboard and its weapons screenshot gets the answer with weapons.
    """
    manifest = manifest or load_manifest()
    hashes = {sample.file: sample.sha256 for sample in manifest.samples}
    ordered = sorted(manifest.samples, key=lambda sample: len(sample.sent_with))
    return [
        Rule.always(
            Match(image_sha256=(sample.sha256, *(hashes[name] for name in sample.sent_with))),
            JsonAnswer(sample.answer),
        )
        for sample in ordered
    ]


def install_sample_rules(stub: GeminiStub) -> list[str]:
    """Add the sample rules to ``stub``; returns their rule ids."""
    return [stub.add_rule(rule) for rule in sample_rules()]
