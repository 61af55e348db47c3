"""The manifest: each sample screenshot, its SHA-256, and what Gemini must answer for it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal

from pydantic import TypeAdapter

from devtools.samples.matches import Mode

MANIFEST_NAME = "manifest.json"
Kind = Literal["scoreboard", "weapons"]


@dataclass(frozen=True)
class SampleFile:
    """One screenshot in the package.

    ``answer`` is the stat shape the stub gives for a request carrying this image and
    every image named in ``sent_with`` (a weapons screenshot is read together with its
    scoreboard); ``lobby``, the scoreboard's other rows, which the stub gives beside it.
    """

    file: str
    sha256: str
    kind: Kind
    mode: Mode
    match: str
    width: int
    height: int
    sent_with: tuple[str, ...]
    answer: dict[str, Any]
    lobby: tuple[dict[str, Any], ...] = ()

    def read_bytes(self) -> bytes:
        return package_files().joinpath(self.file).read_bytes()


@dataclass(frozen=True)
class Manifest:
    generator: str
    samples: tuple[SampleFile, ...]

    def by_file(self, name: str) -> SampleFile:
        for sample in self.samples:
            if sample.file == name:
                return sample
        raise KeyError(name)

    def of_kind(self, kind: Kind) -> tuple[SampleFile, ...]:
        return tuple(sample for sample in self.samples if sample.kind == kind)


MANIFEST_ADAPTER: TypeAdapter[Manifest] = TypeAdapter(Manifest)


def package_files() -> Traversable:
    """Where the committed screenshots and manifest live (works from a wheel too)."""
    return resources.files("devtools.samples")


def load_manifest() -> Manifest:
    """The committed manifest."""
    text = package_files().joinpath(MANIFEST_NAME).read_text(encoding="utf-8")
    return MANIFEST_ADAPTER.validate_json(text)


def manifest_text(manifest: Manifest) -> str:
    """The manifest as committed: stable key order, readable diffs, trailing newline."""
    encoded = MANIFEST_ADAPTER.dump_python(manifest, mode="json")
    return json.dumps(encoded, indent=2, ensure_ascii=False) + "\n"
