"""Time source for Discord's deadlines (3 s acknowledgement, 15 min interaction token).

The clock follows real time, so heartbeats and rate-limit windows behave naturally, but a test
can jump it forward with `advance()` to cross a deadline without waiting for it.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as Unix seconds."""

    def now(self) -> float: ...


class AdjustableClock:
    """Wall-clock time plus an offset that tests can only move forward."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Jump the emulator's notion of time forward by `seconds`."""
        if seconds < 0:
            raise ValueError("the emulator clock only moves forward")
        self._offset += seconds
