"""A pool of worker processes that starts on first use and is replaced when a worker dies.

The image workers (`image_workers`) and the on-device reader (`local_reader`) both run their
work this way:

- workers are forked from multiprocessing's fork server, which imports the modules named by
  ``preload`` once, so a new worker starts in milliseconds with them loaded. The fork server
  is one per process, started by whichever pool starts first, so every pool passes the same
  list;
- the pool starts on the first task (or `warm_up`): a process that never needs it starts no
  worker;
- a task is awaited on the pool's own future: the pool's management thread feeds the workers
  and resolves it, so a waiting task holds no thread of the caller's;
- a worker that dies without answering (killed by the OS, or crashed in native code) breaks
  its whole pool: the task fails with `WorkerDied`, the broken pool is dropped, and the next
  task starts a fresh one.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class WorkerDied(Exception):
    """A worker died before it answered; the next task runs in a fresh pool."""


class RestartablePool:
    def __init__(
        self,
        *,
        workers: int,
        preload: Callable[[], Sequence[str]],
        initializer: Callable[..., None],
        initargs: tuple[Any, ...],
        max_tasks_per_child: int | None = None,
    ) -> None:
        """``preload``: the fork server's modules, asked when the pool starts (they may
        depend on the main module). ``initializer(*initargs)`` runs in each new worker."""
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self._preload = preload
        # Each pool, the first and every one after a worker died, is started alike.
        self._new_executor = functools.partial(
            ProcessPoolExecutor,
            max_workers=workers,
            max_tasks_per_child=max_tasks_per_child,
            initializer=initializer,
            initargs=initargs,
        )
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self._pool is not None

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``function`` run by a worker (a module-level function: it is pickled by name);
        waits for a free worker, never holds a thread. `WorkerDied` if its worker died."""
        pool = self._running_pool()
        try:
            return await asyncio.wrap_future(pool.submit(function, *args, **kwargs))
        except BrokenProcessPool:
            self._discard(pool)
            raise WorkerDied from None

    def run_blocking(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """As `run`, for a caller outside the event loop: blocks until the worker answers."""
        pool = self._running_pool()
        try:
            return pool.submit(function, *args, **kwargs).result()
        except BrokenProcessPool:
            self._discard(pool)
            raise WorkerDied from None

    async def warm_up(self) -> None:
        """Start the fork server and a first worker now, rather than on the first task."""
        await self.run(os.getpid)

    def worker_pids(self) -> list[int]:
        """The process ids of the workers running now (none before the pool starts)."""
        pool = self._pool
        # The executor keeps its processes by pid; it offers no public way to list them.
        processes = getattr(pool, "_processes", None) or {}
        return list(processes)

    def close(self) -> None:
        """Stop the workers (waiting for the tasks running); safe to call twice."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _running_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(list(self._preload()))
                self._pool = self._new_executor(mp_context=context)
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)
