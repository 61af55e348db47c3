"""Module-level tasks for the process pool's tests: a worker pickles a function by name."""

from __future__ import annotations

import os
import time
from pathlib import Path

# How many tasks this worker has run, to tell a fresh worker from a reused one.
_ran = 0


def note_started(marker: str) -> None:
    """A worker's initializer: one line per worker started, with its pid."""
    with Path(marker).open("a") as started:
        started.write(f"{os.getpid()}\n")


def pid_and_tasks_run() -> tuple[int, int]:
    global _ran
    _ran += 1
    return os.getpid(), _ran


def say_where_then_wait(path: str, seconds: float) -> int:
    """Write this worker's pid to ``path`` and wait: a task to kill mid-way."""
    Path(path).write_text(str(os.getpid()))
    time.sleep(seconds)
    return os.getpid()
