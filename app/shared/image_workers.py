"""Screenshots decoded in worker processes: bounded in number and in memory, and given back.

Decoding in the bot's own threads had two costs. Each decode's peak added up (three users
posting two large images held six decodes at once), and what Pillow allocated stayed in the
process: glibc keeps freed memory in per-thread arenas, so the bot's resident size only grew.

Here each image is prepared by a fresh process forked from a small server process that has
already imported Pillow (multiprocessing's "forkserver"), so a fork costs milliseconds:

- at most ``workers`` images are decoded at once; the others wait their turn;
- a worker prepares one image and exits (``max_tasks_per_child=1``), giving all its memory
  back to the OS. One, not more: Python 3.11 to 3.13 deadlock when a worker with a larger
  limit exits while tasks are queued (CPython issue 115634);
- a worker may allocate at most ``memory_limit`` bytes beyond what it starts with
  (RLIMIT_DATA): the pixel cap keeps a screenshot under half of it, and anything that would
  still go past it fails with MemoryError instead of growing, and is refused as too large.

The pool (`app.shared.process_pool.RestartablePool`, shared with the on-device reader) starts
on first use, so a process that never prepares an image (the API) starts no workers, and
`close` stops it; a worker that dies takes its pool with it, and the next image starts anew.

`prepare` is awaited without any thread of the caller's: the pool's own management thread
feeds the workers and resolves the future that the event loop awaits. A thread waiting for
each image (`asyncio.to_thread`, the loop's default executor) made a burst of debriefs fill
that executor, and everything else queued there (aiohttp's proxy and netrc lookups, PyMongo's
address resolution) waited behind a minute of images.
"""

from __future__ import annotations

import logging
import resource
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from app.core.ai import ImagePreparer, PreparedImage
from app.core.errors import InvalidAttachment
from app.core.i18n import DEFAULT_LANGUAGE, N_, Language, _, current_language, speaking
from app.shared.images import PillowImagePreparer
from app.shared.process_pool import RestartablePool, WorkerDied

logger = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

MIB = 1024 * 1024
DEFAULT_WORKERS = 2
# Measured peak of one decode at the pixel cap: about 140 MB (an RGBA PNG of 7680x2160, see
# bench/hostile_uploads.py). The ceiling leaves room above it, and no more.
DEFAULT_MEMORY_LIMIT = 256 * MIB
# Imported once by the fork server, so each worker starts with Pillow and the preparer loaded
# (and with the filter below), and with Pillow's decoders: `Image.open` imports them on first
# use (`Image.preinit`: BMP, GIF, JPEG, PPM, PNG; WEBP, not among them, through `Image.init`,
# which imports every plugin), which cost each fresh worker 15 ms before its first pixel.
_PRELOADED = (
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PpmImagePlugin",
    "PIL.PngImagePlugin",
    "PIL.WebPImagePlugin",
    "app.shared.images",
    __name__,
)
# A worker runs the main module again although the fork server imported it (see
# `preloaded_modules`); runpy says so with a warning per worker, which is expected here.
warnings.filterwarnings(
    "ignore", message=r".* found in sys\.modules after import of package", category=RuntimeWarning
)
TOO_LARGE_TO_READ = N_(
    "That image is too large to read. Post a plain screenshot of your screen instead."
)
WORKER_DIED = N_("Debrief couldn't read that image. Post a plain screenshot, or try again.")


class IsolatedImagePreparer(ImagePreparer):
    """Runs ``preparer.prepare`` in worker processes; same contract, called the same way."""

    def __init__(
        self,
        preparer: PillowImagePreparer,
        *,
        workers: int = DEFAULT_WORKERS,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
    ) -> None:
        self._preparer = preparer
        self._pool = RestartablePool(
            workers=workers,
            preload=preloaded_modules,
            initializer=limit_memory,
            initargs=(memory_limit,),
            max_tasks_per_child=1,
        )

    @property
    def started(self) -> bool:
        return self._pool.started

    async def prepare(self, data: bytes, mime_type: str) -> PreparedImage:
        """The image prepared by a worker; waits for a free worker, never holds a thread."""
        try:
            # A worker has none of this task's context: it is told which language to refuse in.
            return await self._pool.run(
                prepare_in_worker, self._preparer, data, mime_type, current_language()
            )
        except WorkerDied:
            # Killed by the OS, or crashed inside a decoder.
            logger.warning("an image worker died while preparing a %s; refusing it", mime_type)
            raise InvalidAttachment(_(WORKER_DIED)) from None

    async def warm_up(self) -> None:
        """Start the fork server and a first worker, so the first image does not wait for
        them (about a second: the fork server imports Pillow and the preparer first)."""
        await self._pool.warm_up()

    def run_in_worker(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run another module-level function in a worker, under the same limits as
        `prepare`: how the memory tests and the benchmark measure a worker from inside."""
        return self._pool.run_blocking(function, *args, **kwargs)

    def close(self) -> None:
        """Stop the workers (waiting for the images being prepared); safe to call twice."""
        self._pool.close()


def preloaded_modules() -> list[str]:
    """What the fork server imports once, for every worker it forks.

    The preparer, and this process's main module (`python -m app.cli` for the bot): every
    new worker runs the parent's main module again before its task (multiprocessing's
    `_fixup_main_from_name`), which, with its imports not yet loaded, cost each image more
    than preparing it (typer, the settings, the CLI's commands: two thirds of a worker's
    time in a profile of a burst). Run from the fork server's copy, it only re-executes the
    module's own body.
    """
    main_spec = getattr(sys.modules["__main__"], "__spec__", None)
    main = getattr(main_spec, "name", None)
    # `python -m package` runs `package.__main__`, which multiprocessing never runs again.
    if not main or main == "__main__" or main.endswith(".__main__"):
        return list(_PRELOADED)
    return [main, *_PRELOADED]


def limit_memory(extra_bytes: int) -> None:
    """Let this worker allocate at most ``extra_bytes`` more than it holds now."""
    ceiling = data_segment_bytes() + extra_bytes
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))


def prepare_in_worker(
    preparer: PillowImagePreparer,
    data: bytes,
    mime_type: str,
    language: Language = DEFAULT_LANGUAGE,
) -> PreparedImage:
    try:
        with speaking(language):
            return preparer.prepare(data, mime_type)
    except MemoryError:
        # The memory ceiling, reached by something the pixel cap let through.
        raise InvalidAttachment(_(TOO_LARGE_TO_READ)) from None


def data_segment_bytes() -> int:
    """What RLIMIT_DATA counts: this process's private writable memory (VmData)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/self/status has no VmData line")
