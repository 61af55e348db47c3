"""Measuring an image worker from inside: what one decode costs the process that does it
(for the memory tests and `bench/hostile_uploads.py`).

`IsolatedImagePreparer.run_in_worker(measured_prepare, ...)` runs this in a real worker,
forked like the one `prepare` uses, under the same memory ceiling, and running the same
`prepare_in_worker`. The kernel keeps each process's resident high-water mark (VmHWM), reset
to the resident size at fork, so its rise over the resident size at the start of the task is
the peak the decode added. Each worker runs one task, so nothing else is in that figure.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from app.core.ai import PreparedImage
from app.core.errors import DomainError
from app.shared.image_workers import prepare_in_worker
from app.shared.images import PillowImagePreparer

KIB = 1024


@dataclass(frozen=True)
class Measured:
    outcome: str  # "WxH" when prepared, else the user's message
    start_rss: int
    peak_rss: int
    pid: int
    started: float
    ended: float

    @property
    def peak_increase(self) -> int:
        return self.peak_rss - self.start_rss

    @property
    def prepared(self) -> bool:
        return "x" in self.outcome and self.outcome.replace("x", "").isdigit()


def measured_prepare(preparer: PillowImagePreparer, data: bytes, mime_type: str) -> Measured:
    started, start_rss = time.monotonic(), status_bytes("VmRSS")
    try:
        prepared = prepare_in_worker(preparer, data, mime_type)
        outcome = f"{prepared.width}x{prepared.height}"
    except DomainError as refusal:
        outcome = refusal.user_message
    return Measured(
        outcome, start_rss, status_bytes("VmHWM"), os.getpid(), started, time.monotonic()
    )


def status_bytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * KIB
    raise RuntimeError(f"/proc/self/status has no {field}")


def worker_pid() -> int:
    return os.getpid()


class DyingPreparer(PillowImagePreparer):
    """A preparer whose worker dies mid-decode, as the OS kills a process."""

    def prepare(self, data: bytes, mime_type: str) -> PreparedImage:
        os._exit(1)
