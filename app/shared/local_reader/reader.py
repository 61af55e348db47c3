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
  screenshot is refused as unreadable and the next one starts a fresh pool (the pool is
  `app.shared.process_pool.RestartablePool`, the image workers' too).

The reader returns the same raw stats as the Gemini reader, so the same validation, catalog
and flags apply, and the scoreboard's other rows as `Extraction.lobby`; a screenshot without a
scoreboard raises UnreadableScreenshot.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.core.ai import AIUsage, Extraction, PreparedImage, StatsReader
from app.core.errors import UnreadableScreenshot
from app.core.game.catalog import Catalog
from app.shared.image_workers import MIB, preloaded_modules
from app.shared.local_reader.engine import ENGINE_NAME, read_screen_in_worker, start_worker
from app.shared.local_reader.screens import ScreenReading, match_lobby, match_stats
from app.shared.local_reader.spelling import spelled_as_catalog
from app.shared.process_pool import RestartablePool, WorkerDied
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
        self._catalog = catalog
        self._pool = RestartablePool(
            workers=workers,
            # The image workers' list: whichever pool starts the (one, shared) fork server,
            # it preloads the same modules.
            preload=preloaded_modules,
            initializer=start_worker,
            initargs=(THREADS_PER_WORKER, memory_limit),
        )

    @property
    def started(self) -> bool:
        return self._pool.started

    def worker_pids(self) -> list[int]:
        """The reader's worker processes now: what the model test and the benchmark measure."""
        return self._pool.worker_pids()

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
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
        # OCR reads every row anyway: the lobby costs nothing more, but is kept only if wanted.
        lobby = match_lobby(readings) if with_lobby else ()
        return Extraction(raw_stats=stats, usage=AIUsage(model=ENGINE_NAME), lobby=lobby)

    async def _read(self, image: PreparedImage, gamertags: tuple[str, ...]) -> ScreenReading:
        try:
            return await self._pool.run(read_screen_in_worker, image.data, gamertags)
        except WorkerDied:
            logger.warning("a reader worker died while reading a screenshot; refusing it")
            raise UnreadableScreenshot() from None
        except MemoryError:
            logger.warning("a screenshot needed more memory than a reader worker may use")
            raise UnreadableScreenshot() from None

    async def warm_up(self) -> None:
        """Start the worker and load its model now, so the first screenshot does not wait
        for them (a second or two, more on a busy machine)."""
        await self._pool.warm_up()

    def close(self) -> None:
        """Stop the workers (waiting for the screenshots being read); safe to call twice."""
        self._pool.close()
