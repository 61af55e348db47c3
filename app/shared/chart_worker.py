"""Charts drawn in a worker process, so that the bot never loads matplotlib.

Matplotlib, NumPy and the chart code take about 70 MiB of a process (measured in
docs/performance.md) for one command, /trend. Imported by the bot, they would stay for the
process's life after the first chart, and freed drawing memory mostly stays too. Here the
charts are drawn by one child process, `python -m app.shared.chart_worker`:

- started on the first chart (so a bot that is never asked for one never starts it), and
  stopped after `idle_s` without a chart, giving all its memory back to the OS;
- one chart at a time: the others wait their turn (drawing is about 0.1 s of CPU);
- it reads requests from its stdin and answers on its stdout, so it exits when the bot
  closes the pipe, or dies: it never outlives the bot;
- a worker that dies, hangs or answers garbage is killed and the chart fails with
  `ChartError`; the next chart starts a new worker.

The protocol: a request is one line of JSON (`title`, `stat` (its value), `rolling` and `points`,
each `[played_at as ISO 8601, value]`; for an overlay of several players, `series` instead of
`points`: `[name, points]` each); an answer is one status byte (`0` a PNG follows, `1`
an error message follows), the length of what follows (4 bytes, big-endian), then that.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import site
import struct
import sys
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from app.core.game.metrics import Stat
    from app.shared.charts import Point

logger = logging.getLogger(__name__)

WORKER_MODULE = "app.shared.chart_worker"
DEFAULT_IDLE_S = 60.0
# Starting the worker (interpreter, matplotlib) takes about 1 s on a busy 2-core machine.
DEFAULT_TIMEOUT_S = 30.0
_HEADER = struct.Struct(">BI")
_OK, _FAILED = 0, 1
# The package root the bot runs from: the worker must import this same `app`.
_APP_ROOT = Path(__file__).resolve().parents[2]


class ChartError(RuntimeError):
    """The worker could not draw the chart (it failed, died or did not answer in time)."""


@dataclass(frozen=True, slots=True)
class _Point:
    played_at: datetime
    value: float


class ChartWorker:
    """Draws charts in a child process; same charts as `app.shared.charts`, awaited."""

    def __init__(
        self, *, idle_s: float = DEFAULT_IDLE_S, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> None:
        self._idle_s = idle_s
        self._timeout_s = timeout_s
        self._process: asyncio.subprocess.Process | None = None
        self._lock = asyncio.Lock()
        self._idle_timer: asyncio.TimerHandle | None = None
        self._background: set[asyncio.Task[None]] = set()

    @property
    def pid(self) -> int | None:
        """The running worker's process id, or None when none runs."""
        return self._process.pid if self._process is not None else None

    async def trend_chart(
        self, points: Sequence[Point], *, title: str, stat: Stat, rolling: int
    ) -> bytes:
        """A PNG as `app.shared.charts.trend_chart` draws it (see there)."""
        request = {
            "title": title,
            "stat": stat.value,
            "rolling": rolling,
            "points": _wire(points),
        }
        return await self._draw(request)

    async def overlay_chart(
        self,
        series: Sequence[tuple[str, Sequence[Point]]],
        *,
        title: str,
        stat: Stat,
        rolling: int,
    ) -> bytes:
        """A PNG as `app.shared.charts.overlay_chart` draws it (see there)."""
        request = {
            "title": title,
            "stat": stat.value,
            "rolling": rolling,
            "series": [[name, _wire(points)] for name, points in series],
        }
        return await self._draw(request)

    async def _draw(self, request: dict[str, Any]) -> bytes:
        line = json.dumps(request).encode() + b"\n"
        async with self._lock:
            self._cancel_idle_timer()
            try:
                return await asyncio.wait_for(self._ask(line), self._timeout_s)
            except ChartError:
                raise  # the worker answered (with an error): it is still in step
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
                logger.warning("the chart worker failed (%r); stopping it", error)
                self._kill()
                raise ChartError("the chart worker did not answer") from error
            except BaseException:
                # Cancelled mid-request: its answer may still come, and would be read as the
                # next chart's.
                self._kill()
                raise
            finally:
                self._arm_idle_timer()

    async def close(self) -> None:
        """Stop the worker, if one runs; safe to call twice."""
        self._cancel_idle_timer()
        async with self._lock:
            await self._stop()
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def _ask(self, line: bytes) -> bytes:
        process = await self._running()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(line)
        await process.stdin.drain()
        status, size = _HEADER.unpack(await process.stdout.readexactly(_HEADER.size))
        payload = await process.stdout.readexactly(size)
        if status == _OK:
            return payload
        raise ChartError(f"the chart worker could not draw: {payload.decode(errors='replace')}")

    async def _running(self) -> asyncio.subprocess.Process:
        if self._process is not None and self._process.returncode is None:
            return self._process
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            WORKER_MODULE,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=_worker_environment(),
        )
        logger.info("started the chart worker (pid %d)", self._process.pid)
        return self._process

    def _arm_idle_timer(self) -> None:
        if self._process is None:
            return
        self._idle_timer = asyncio.get_running_loop().call_later(self._idle_s, self._on_idle)

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _on_idle(self) -> None:
        self._idle_timer = None
        self._in_background(self._stop_when_free())

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _stop_when_free(self) -> None:
        async with self._lock:
            if self._idle_timer is None:  # no chart was asked for since the timer fired
                await self._stop()

    async def _stop(self) -> None:
        """Close the worker's stdin, which ends it; kill it if it does not end."""
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), self._timeout_s)
        except TimeoutError:
            process.kill()
            await process.wait()
        logger.info("stopped the chart worker (pid %d)", process.pid)

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            self._in_background(_reap(process))


def _wire(points: Sequence[Point]) -> list[list[Any]]:
    return [[p.played_at.isoformat(), p.value] for p in points]


def _points(wired: Sequence[Sequence[Any]]) -> list[_Point]:
    return [_Point(datetime.fromisoformat(played_at), float(value)) for played_at, value in wired]


async def _reap(process: asyncio.subprocess.Process) -> None:
    await process.wait()


def _worker_environment() -> dict[str, str]:
    """The bot's environment, with the directory that holds this `app` first on the worker's
    path (the bot may run from a checkout by a script path), unless it is an installed
    site-packages directory: every interpreter of this environment has that one already, and
    put ahead of the standard library it could shadow it."""
    installed = {Path(p).resolve() for p in (*site.getsitepackages(), site.getusersitepackages())}
    if _APP_ROOT in installed:
        return dict(os.environ)
    inherited = [path for path in os.environ.get("PYTHONPATH", "").split(os.pathsep) if path]
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(_APP_ROOT), *inherited])}


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker's loop: one answer per request line, until the requests end."""
    for line in requests:
        try:
            png = _chart(json.loads(line))
        except Exception as error:  # noqa: BLE001 - any failure is this chart's, told back
            message = f"{type(error).__name__}: {error}".encode()
            answers.write(_HEADER.pack(_FAILED, len(message)) + message)
        else:
            answers.write(_HEADER.pack(_OK, len(png)) + png)
        answers.flush()


def _chart(request: dict[str, Any]) -> bytes:
    from app.core.game.metrics import Stat
    from app.shared.charts import overlay_chart, trend_chart

    title, stat = str(request["title"]), Stat(request["stat"])
    rolling = int(request["rolling"])
    if "series" in request:
        series = [(str(name), _points(points)) for name, points in request["series"]]
        return overlay_chart(series, title=title, stat=stat, rolling=rolling)
    return trend_chart(_points(request["points"]), title=title, stat=stat, rolling=rolling)


def main() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the bot decides when this ends,
    # by closing the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = sys.stdout.buffer
    # Nothing else may write to the answers: a stray print goes to stderr.
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
