"""Screenshots are decoded in worker processes, a bounded number at once, each within a
fixed amount of memory; hostile images are refused or prepared within that bound."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NoReturn

import pytest

from app.core.errors import InvalidAttachment
from app.core.i18n import Language, speaking
from app.shared.image_workers import (
    TOO_LARGE_TO_READ,
    WORKER_DIED,
    IsolatedImagePreparer,
)
from app.shared.images import PillowImagePreparer
from devtools.hostile_images import HostileImage, flat_png, hostile_images
from devtools.image_memory import (
    DyingPreparer,
    Measured,
    measured_prepare,
    worker_pid,
)

MIB = 1024 * 1024
# What one decode may add to the process doing it, whatever the upload. Measured: 129 MB for
# the costliest accepted image (a 7680x2160 RGBA PNG), under 2 MB for refused ones; before
# the pixel cap and the shrinking decode, 871 MB for a 7000x7000 RGBA PNG of 186 KB.
PEAK_PER_DECODE = 160 * MIB
WORKERS = 2
CONCURRENT_UPLOADS = 6  # three users posting two screenshots each
HOSTILE = hostile_images()
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def workers() -> Iterator[IsolatedImagePreparer]:
    preparer = IsolatedImagePreparer(PillowImagePreparer(), workers=WORKERS)
    yield preparer
    preparer.close()


def measure(workers: IsolatedImagePreparer, image: HostileImage) -> Measured:
    return workers.run_in_worker(
        measured_prepare, PillowImagePreparer(), image.data, image.mime_type
    )


async def test_images_are_prepared_in_another_process_with_the_same_result(
    workers: IsolatedImagePreparer,
) -> None:
    data = flat_png(1920, 1080)

    prepared = await workers.prepare(data, "image/png")

    assert prepared == PillowImagePreparer().prepare(data, "image/png")
    assert workers.run_in_worker(worker_pid) != os.getpid()


def test_every_image_gets_a_fresh_worker(workers: IsolatedImagePreparer) -> None:
    # A worker exits after one image, so whatever it allocated goes back to the OS.
    pids = [workers.run_in_worker(worker_pid) for _ in range(3)]

    assert len(set(pids)) == 3


@pytest.mark.parametrize("image", HOSTILE, ids=[image.name for image in HOSTILE])
def test_a_hostile_image_is_refused_or_prepared_within_the_memory_bound(
    workers: IsolatedImagePreparer, image: HostileImage
) -> None:
    measured = measure(workers, image)

    if image.width * image.height > PillowImagePreparer().max_pixels:
        assert "more pixels than any screen" in measured.outcome
    else:
        assert measured.outcome == "2730x768"
    assert measured.peak_increase < PEAK_PER_DECODE, f"{measured.peak_increase / MIB:.0f} MB"


def test_concurrent_hostile_uploads_decode_at_most_workers_at_once_each_within_the_bound(
    workers: IsolatedImagePreparer,
) -> None:
    accepted = [image for image in HOSTILE if image.width * image.height <= 7680 * 2160]
    uploads = [accepted[n % len(accepted)] for n in range(CONCURRENT_UPLOADS)]

    with ThreadPoolExecutor(CONCURRENT_UPLOADS) as users:
        results = list(users.map(lambda image: measure(workers, image), uploads))

    assert [r.outcome for r in results] == ["2730x768"] * CONCURRENT_UPLOADS
    assert max(r.peak_increase for r in results) < PEAK_PER_DECODE
    # The most decodes running at the same moment, from when each started and ended.
    most_at_once = max(
        sum(1 for other in results if other.started <= r.started < other.ended) for r in results
    )
    assert most_at_once <= WORKERS
    assert len({r.pid for r in results}) == CONCURRENT_UPLOADS


def test_the_bot_process_itself_does_not_grow_with_hostile_uploads() -> None:
    """The preparer the bot opens, driven as the /debrief handler drives it, in a fresh
    process: six hostile uploads at once (on the old in-process decoder: 5.5 GB)."""
    completed = subprocess.run(
        [sys.executable, "-m", "tests.support.bot_side_memory", str(CONCURRENT_UPLOADS)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])

    refused, accepted = report["outcomes"][0::2], report["outcomes"][1::2]
    assert all("more pixels than any screen (7000×7000)" in outcome for outcome in refused)
    assert accepted == ["2730x768"] * (CONCURRENT_UPLOADS // 2)
    assert report["peak_increase"] < 32 * MIB, f"{report['peak_increase'] / MIB:.0f} MB"


async def test_a_worker_refuses_in_the_language_of_the_task_that_sent_the_image(
    workers: IsolatedImagePreparer,
) -> None:
    with speaking(Language.SPANISH), pytest.raises(InvalidAttachment) as refused:
        await workers.prepare(flat_png(7000, 7000), "image/png")

    assert refused.value.user_message.startswith(
        "Esa imagen tiene más píxeles que cualquier pantalla (7000×7000)"
    )


async def test_a_decode_past_the_memory_ceiling_is_refused_as_too_large() -> None:
    # The ceiling backs the pixel cap: here it is set below what an accepted image needs.
    tight = IsolatedImagePreparer(PillowImagePreparer(), workers=1, memory_limit=32 * MIB)
    try:
        with pytest.raises(InvalidAttachment) as refusal:
            await tight.prepare(flat_png(7680, 2160, alpha=True), "image/png")
        small = await tight.prepare(flat_png(640, 360), "image/png")
    finally:
        tight.close()

    assert refusal.value.user_message == TOO_LARGE_TO_READ
    assert (small.width, small.height) == (640, 360)


async def test_a_worker_that_dies_is_a_refusal_and_the_next_image_gets_a_new_pool() -> None:
    dying = IsolatedImagePreparer(DyingPreparer(), workers=1)
    try:
        with pytest.raises(InvalidAttachment) as refusal:
            await dying.prepare(flat_png(64, 64), "image/png")
        pid = dying.run_in_worker(worker_pid)
    finally:
        dying.close()

    assert refusal.value.user_message == WORKER_DIED
    assert pid != os.getpid()


class NoDefaultExecutor(ThreadPoolExecutor):
    """An event loop's default executor that refuses all work."""

    def submit(self, *args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("the event loop's default executor was used")


def test_preparing_images_uses_no_thread_of_the_event_loop() -> None:
    """A burst of debriefs once filled the default executor with threads waiting for images,
    and everything else that runs there (aiohttp's and PyMongo's lookups) waited behind them."""

    async def prepare_many() -> list[tuple[int, int]]:
        asyncio.get_running_loop().set_default_executor(NoDefaultExecutor(max_workers=1))
        preparer = IsolatedImagePreparer(PillowImagePreparer(), workers=WORKERS)
        try:
            prepared = await asyncio.gather(
                *(preparer.prepare(flat_png(640, 360), "image/png") for _ in range(4))
            )
        finally:
            preparer.close()
        return [(image.width, image.height) for image in prepared]

    # A loop of its own, so the refusing executor never reaches another test.
    assert asyncio.run(prepare_many()) == [(640, 360)] * 4


async def test_warming_up_starts_a_worker_before_the_first_image() -> None:
    preparer = IsolatedImagePreparer(PillowImagePreparer(), workers=1)
    try:
        await preparer.warm_up()
        started = preparer.started
        pid = preparer.run_in_worker(worker_pid)
    finally:
        preparer.close()

    assert started
    assert pid != os.getpid()


def test_no_worker_starts_before_the_first_image_and_close_is_idempotent() -> None:
    unused = IsolatedImagePreparer(PillowImagePreparer())

    unused.close()
    unused.close()

    assert not unused.started


def test_at_least_one_worker() -> None:
    with pytest.raises(ValueError, match="workers"):
        IsolatedImagePreparer(PillowImagePreparer(), workers=0)
