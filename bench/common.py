"""What every benchmark needs: percentiles, rates, Markdown tables, the machine, a database."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import platform
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from app.shared.embedded_db import EmbeddedDatabase
from app.shared.settings import Settings, load_settings

T = TypeVar("T")

MIB = 1024 * 1024
GIB = 1024 * MIB


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100), interpolating between the two closest ranks."""
    if not values:
        raise ValueError("no values to take a percentile of")
    if not 0 <= q <= 100:
        raise ValueError(f"a percentile is between 0 and 100, not {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    below, above = math.floor(rank), math.ceil(rank)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


def peak_in_window(times: Sequence[float], window_s: float = 1.0) -> int:
    """The most events in any `window_s`-second window, sliding like Discord's global limit."""
    ordered = sorted(times)
    peak, first = 0, 0
    for last, at in enumerate(ordered):
        while ordered[first] <= at - window_s:
            first += 1
        peak = max(peak, last - first + 1)
    return peak


def mean_rate(count: int, span_s: float) -> float:
    """Events per second over a span; a span too short to measure counts as one second."""
    return count / span_s if span_s > 0 else float(count)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table with aligned columns: readable in a terminal, pasteable into docs."""
    cells = [list(map(str, headers)), *([str(cell) for cell in row] for row in rows)]
    if any(len(row) != len(headers) for row in cells):
        raise ValueError(f"every row needs {len(headers)} cells, one per header")
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


@dataclass(frozen=True)
class Machine:
    cpus: int
    cpu_model: str
    memory_gib: float

    def __str__(self) -> str:
        return (
            f"{self.cpus} CPU(s), {self.cpu_model}, {self.memory_gib:.1f} GiB RAM, "
            f"Linux {platform.release()}, Python {platform.python_version()}"
        )


def this_machine() -> Machine:
    """What the figures were measured on (Linux: from /proc)."""
    cpuinfo = _read("/proc/cpuinfo")
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    meminfo = _proc_fields(_read("/proc/meminfo"))
    return Machine(os.cpu_count() or 1, model, meminfo.get("MemTotal", 0) / GIB)


def resident_bytes(pid: int) -> int:
    """The process's resident set size now (VmRSS)."""
    return _status_field(pid, "VmRSS")


def peak_resident_bytes(pid: int) -> int:
    """The largest resident set size the process has had (VmHWM, its high-water mark)."""
    return _status_field(pid, "VmHWM")


def cpu_seconds(pid: int | None = None) -> float:
    """User plus system CPU time of a process (this one when `pid` is None), all threads."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    # The command name may hold spaces: the fields that follow start after its ")".
    fields = stat.rpartition(")")[2].split()
    user, system = int(fields[11]), int(fields[12])
    return (user + system) / os.sysconf("SC_CLK_TCK")


def _status_field(pid: int, name: str) -> int:
    fields = _proc_fields(_read(f"/proc/{pid}/status"))
    if name not in fields:
        raise LookupError(f"/proc/{pid}/status has no {name}: is the process still running?")
    return fields[name]


def _proc_fields(lines: Sequence[str]) -> dict[str, int]:
    """`Name:   1234 kB` lines as bytes by name; lines of other shapes are left out."""
    fields: dict[str, int] = {}
    for line in lines:
        name, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
            fields[name] = int(parts[0]) * 1024
    return fields


def _read(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


@asynccontextmanager
async def fresh_database() -> AsyncIterator[EmbeddedDatabase]:
    """An empty embedded SecantusDB server, running, with its data in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="debrief-bench-db-") as directory:
        database = EmbeddedDatabase(storage=Path(directory) / "data")
        await asyncio.to_thread(database.start)
        try:
            yield database
        finally:
            await asyncio.to_thread(database.stop)


def bench_settings(data_dir: Path) -> Settings:
    """Sandbox settings whose files live in `data_dir`, with the children's logs kept short."""
    return load_settings(debrief_env="sandbox", debrief_data_dir=data_dir, log_level="WARNING")


def quiet_logging() -> None:
    """Warnings and errors only: the figures are the output."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


async def stopping_on_signals(work: Coroutine[Any, Any, T]) -> T:
    """Run `work`; Ctrl-C or SIGTERM cancel it, so that it stops every process it started.

    The children run in sessions of their own: a signal reaches only this process, and without
    this they would outlive it.
    """
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, task.cancel)
    try:
        return await task
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def run_until_signalled(work: Coroutine[Any, Any, T], name: str) -> T | None:
    """`asyncio.run(work)`, or None (after saying so) when a signal stopped it early."""
    try:
        return asyncio.run(stopping_on_signals(work))
    except asyncio.CancelledError:
        print(f"[{name}] interrupted; everything it started is stopped", file=sys.stderr)
        return None
