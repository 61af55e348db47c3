"""The on-device reader with its real model, in its worker process, on generated scoreboards.

A fixed seed of `devtools.samples.scoreboards` (every mode, 720p to 1440p ultrawide, JPEG
from 42 to 94) and one bundled sample, prepared as the bot prepares uploads; every stat must
read exactly, the player's and every other row's (`Extraction.lobby`). The figures over many
scoreboards are bench/reader.py's (docs/performance.md).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.ai import PreparedImage
from app.core.errors import UnreadableScreenshot
from app.core.game import validate_extraction
from app.shared.images import PillowImagePreparer
from app.shared.local_reader import LocalStatsReader, local_reader_installed
from devtools.samples import load_manifest
from devtools.samples.scoreboards import GeneratedScoreboard, generate_one

pytestmark = pytest.mark.skipif(
    not local_reader_installed(), reason="the local-ai extra is not installed"
)

SEED = 13
# Hardpoint with weapons at 3440x1440 and JPEG 42, Overload at 1280x720, Search and Destroy
# with weapons at 2560x1080.
INDICES = (0, 1, 4)
PREPARER = PillowImagePreparer()


@pytest.fixture(scope="module")
def reader() -> Iterator[LocalStatsReader]:
    local = LocalStatsReader(workers=1)
    yield local
    local.close()


def prepared(generated: GeneratedScoreboard) -> list[PreparedImage]:
    return [PREPARER.prepare(screen.data, screen.mime_type) for screen in generated.screens]


@pytest.mark.parametrize("index", INDICES)
async def test_a_generated_scoreboard_reads_exactly(reader: LocalStatsReader, index: int) -> None:
    generated = generate_one(SEED, index)

    extraction = await reader.read_stats(prepared(generated), None, with_lobby=True)

    assert extraction.raw_stats == generated.answer, generated.description
    assert validate_extraction(extraction.raw_stats).player.gamertag == generated.you
    assert extraction.lobby == generated.lobby, generated.description


async def test_a_bundled_sample_with_its_weapons_screen_reads_as_its_manifest_says(
    reader: LocalStatsReader,
) -> None:
    manifest = load_manifest()
    weapons = manifest.by_file("search_and_destroy_exposure_weapons.png")
    scoreboard = manifest.by_file(weapons.sent_with[0])
    images = [PREPARER.prepare(f.read_bytes(), "image/png") for f in (weapons, scoreboard)]

    extraction = await reader.read_stats(images, "any note", with_lobby=True)

    assert extraction.raw_stats == weapons.answer
    assert extraction.lobby == scoreboard.lobby
    assert [row["team"] for row in extraction.lobby] == ["ally"] * 3 + ["enemy"] * 4


async def test_a_weapons_screen_alone_is_no_scoreboard(reader: LocalStatsReader) -> None:
    generated = generate_one(SEED, 0)
    weapons_only = [
        image
        for image, s in zip(prepared(generated), generated.screens, strict=True)
        if s.kind == "weapons"
    ]
    assert weapons_only

    with pytest.raises(UnreadableScreenshot):
        await reader.read_stats(weapons_only, None)


def test_the_model_stays_in_the_workers(reader: LocalStatsReader) -> None:
    """The pool above has read screenshots; this process never loaded the model."""
    assert reader.started
    for heavy in ("onnxruntime", "rapidocr", "cv2"):
        assert heavy not in sys.modules, f"{heavy} was imported outside the reader's workers"


async def test_warming_up_starts_the_worker_with_the_model_loaded() -> None:
    warmed = LocalStatsReader(workers=1)
    try:
        await warmed.warm_up()

        assert warmed.started
        maps = [_maps(pid) for pid in warmed.worker_pids()]
        assert maps and all("onnxruntime" in text for text in maps)
    finally:
        warmed.close()


def _maps(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()
