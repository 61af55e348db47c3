"""Awaiting a condition over the emulator's state, woken whenever the state changes.

Waits across the driver take a `timeout` (ruff's ASYNC109 is silenced for them on purpose):
a test driver must never wait unbounded by default, and the sensible bound depends on what
is awaited, so it belongs to the call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class ChangeNotifier:
    """`changed()` is synchronous so any handler can call it; waiters re-check on each change."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def changed(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_for(
        self,
        probe: Callable[[], T | None],
        *,
        what: str,
        timeout: float,  # noqa: ASYNC109
    ) -> T:
        """The first non-None result of `probe`, raising TimeoutError after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (found := probe()) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}")
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                continue
        return found
