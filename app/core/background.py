"""Work started now and awaited later, never left running unawaited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

T = TypeVar("T")


@asynccontextmanager
async def started(work: Coroutine[Any, Any, T]) -> AsyncIterator[asyncio.Future[T]]:
    """Run `work` alongside the block, which awaits the future when it needs the result.

    If the block ends without awaiting it (it failed first, say), the work is cancelled, and
    whatever it raised is dropped: the block's own outcome is the answer.
    """
    future = asyncio.ensure_future(work)
    future.add_done_callback(_retrieved)
    try:
        yield future
    finally:
        future.cancel()  # a no-op once it is done


def _retrieved(future: asyncio.Future[Any]) -> None:
    # A failure nobody awaited would otherwise be logged as "exception never retrieved".
    if not future.cancelled():
        future.exception()
