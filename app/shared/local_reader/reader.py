"""``LocalStatsReader``: the StatsReader port on an OCR engine in worker processes.

The models (RapidOCR's PP-OCR detection and recognition networks, run by ONNX Runtime on
the CPU) ship inside the ``rapidocr`` wheel: nothing is downloaded and nothing leaves the
machine. A worker takes up to about 700 MB, so they live in worker processes, never in the
bot: a worker loads them once (its initializer), then reads screenshots until the pool
closes. The bot starts the pool (`warm_up`) before it connects; its own memory does not
change.

- at most ``workers`` screenshots are read at once, one core each; the others wait;
- each worker may grow by at most ``memory_limit`` bytes beyond its loaded models
  (RLIMIT_DATA, as for the image workers); a screenshot that would need more fails alone;
- a worker that dies (killed, or crashed in native code) takes its pool with it: that
  screenshot is refused as unreadable and the next one starts a fresh pool.

The reader returns the same raw stats as the Gemini reader, so the same validation, catalog
and flags apply, and the scoreboard's other rows as `Extraction.lobby`; a screenshot without a
scoreboard raises UnreadableScreenshot.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from app.core.ai import AIUsage, Extraction, PreparedImage, StatsReader
from app.core.errors import UnreadableScreenshot
from app.core.game.catalog import Catalog
from app.shared.image_workers import MIB, preloaded_modules
from app.shared.local_reader.engine import ENGINE_NAME, read_screen_in_worker, start_worker
from app.shared.local_reader.screens import ScreenReading, match_lobby, match_stats
from app.shared.local_reader.spelling import spelled_as_catalog
from app.shared.settings import local_ai_installed

logger = logging.getLogger(__name__)

DEFAULT_WORKERS = 1
THREADS_PER_WORKER = 1
# Measured (bench/reader.py): a worker holds about 90 MB once the models are loaded; ONNX
# Runtime then keeps about 460 MB of buffers for the largest screenshot it has read, and its
# resident size peaks near 700 MB. The ceiling leaves room above that, and no more.
DEFAULT_MEMORY_LIMIT = 1024 * MIB


def local_reader_installed() -> bool:
    """Whether the `local-ai` extra is installed (looked up, not imported)."""
    return local_ai_installed()


class LocalStatsReader(StatsReader):
    """Reads scoreboards on this machine's CPU, in worker processes started by `warm_up` or
    the first screenshot."""

    def __init__(
        self,
        *,
        workers: int = DEFAULT_WORKERS,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        catalog: Catalog | None = None,
    ) -> None:
        """``catalog``: the lexicon of weapon names (`spelling`); None reads names as OCR
        spells them."""
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self._catalog = catalog
        self._workers = workers
        self._memory_limit = memory_limit
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self._pool is not None

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
    ) -> Extraction:
        # The note is context for a language model; the layout says everything OCR needs.
        if not images:
            raise ValueError("read_stats needs at least one image")
        readings = [await self._read(image, tuple(known_gamertags)) for image in images]
        stats = match_stats(readings)
        if stats is None or "player" not in stats:
            raise UnreadableScreenshot()
        if self._catalog is not None:
            stats = spelled_as_catalog(stats, self._catalog)
        return Extraction(
            raw_stats=stats, usage=AIUsage(model=ENGINE_NAME), lobby=match_lobby(readings)
        )

    async def _read(self, image: PreparedImage, gamertags: tuple[str, ...]) -> ScreenReading:
        pool = self._running_pool()
        try:
            return await asyncio.wrap_future(
                pool.submit(read_screen_in_worker, image.data, gamertags)
            )
        except BrokenProcessPool:
            logger.warning("a reader worker died while reading a screenshot; refusing it")
            self._discard(pool)
            raise UnreadableScreenshot() from None
        except MemoryError:
            logger.warning("a screenshot needed more memory than a reader worker may use")
            raise UnreadableScreenshot() from None

    async def warm_up(self) -> None:
        """Start the worker and load its model now, so the first screenshot does not wait
        for them (a second or two, more on a busy machine)."""
        await asyncio.wrap_future(self._running_pool().submit(os.getpid))

    def close(self) -> None:
        """Stop the workers (waiting for the screenshots being read); safe to call twice."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _running_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                # The image workers' fork server list: whichever pool starts the (one, shared)
                # fork server, it preloads the same modules.
                context.set_forkserver_preload(preloaded_modules())
                self._pool = ProcessPoolExecutor(
                    max_workers=self._workers,
                    mp_context=context,
                    initializer=start_worker,
                    initargs=(THREADS_PER_WORKER, self._memory_limit),
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)
