"""Resident memory of the bot with many servers, and of the API idle and under load.

    python -m bench.memory                      # 1,000 servers x 20 channels; 20 s of API GETs

Two stacks, one after the other, on a fresh embedded database in a temporary directory:
first the bot with only the sandbox's own server (the baseline), then with `--servers` more
servers of `--channels` channels each, all created in the Discord emulator before the bot
connects, so that it receives them as at start-up: READY, then one GUILD_CREATE per server.
The bot is measured once it has handled every GUILD_CREATE (it answers a /ping sent after
them), then once its memory settles. The API of the second stack is measured idle, then
while serving a concurrent load of authenticated GETs, then after it. Memory is the resident
set size (VmRSS) from /proc/<pid>/status; "peak" is the process's high-water mark (VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench._memory_load import LoadResult, load, log_in
from bench._memory_seed import seed_matches
from bench._memory_stack import Servers, Stack, open_stack
from bench.common import (
    MIB,
    bench_settings,
    fresh_database,
    markdown_table,
    peak_resident_bytes,
    quiet_logging,
    resident_bytes,
    run_until_signalled,
    this_machine,
)

DATABASE = "debrief_bench_memory"
SAMPLE_EVERY_S = 0.25
# Settled: the last samples, one a second, within this many bytes of each other.
SETTLE_SAMPLES = 5
SETTLE_TOLERANCE = 1 * MIB
INTERRUPTED = 130
TREND_TIMEOUT_S = 60.0
CHART_WORKER = "app.shared.chart_worker"


@dataclass(frozen=True)
class Options:
    servers: int
    channels: int
    matches: int
    load_s: float
    concurrency: int
    settle_s: float


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.memory",
        description="Resident memory of the bot with many servers and of the API under load.",
    )
    parser.add_argument("--servers", type=int, default=1000, help="servers beside the sandbox's")
    parser.add_argument("--channels", type=int, default=20, help="text channels per server")
    parser.add_argument("--matches", type=int, default=1000, help="matches the API reads")
    parser.add_argument(
        "--load-seconds", type=float, default=20.0, help="how long the API load runs"
    )
    parser.add_argument("--concurrency", type=int, default=50, help="API GETs at a time")
    parser.add_argument(
        "--settle", type=float, default=30.0, help="most seconds to wait for memory to settle"
    )
    args = parser.parse_args(argv)
    if min(args.servers, args.channels, args.matches) < 0 or args.concurrency < 1:
        parser.error("counts must not be negative, and --concurrency at least 1")
    if args.load_seconds <= 0 or args.settle < 0:
        parser.error("--load-seconds must be positive and --settle not negative")
    return Options(
        args.servers, args.channels, args.matches, args.load_seconds, args.concurrency, args.settle
    )


@dataclass(frozen=True)
class Reading:
    process: str
    moment: str
    rss: int
    peak: int

    def row(self) -> tuple[str, str, str, str]:
        return (self.process, self.moment, f"{self.rss / MIB:.1f}", f"{self.peak / MIB:.1f}")


@dataclass
class Report:
    readings: list[Reading] = field(default_factory=list)
    load: LoadResult | None = None
    # Seconds from each /trend to its chart posted: the first starts the chart worker.
    trends: list[float] = field(default_factory=list)


async def run(options: Options) -> Report:
    report = Report()
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as directory:
        settings = bench_settings(Path(directory))
        async with fresh_database() as database:
            baseline = Servers(0, options.channels)
            _progress("the bot with the sandbox's server only")
            async with open_stack(settings, database.uri, f"{DATABASE}_1", baseline) as stack:
                await _measure_bot(stack, "bot, 1 server", options, report)
            servers = Servers(options.servers, options.channels)
            label = f"bot, {options.servers + 1:,} servers × {options.channels} channels"
            _progress(f"the bot with {options.servers:,} more servers")
            async with open_stack(settings, database.uri, DATABASE, servers) as stack:
                await _measure_bot(stack, label, options, report)
                await _measure_api(stack, database.uri, options, report)
                await _measure_trend(stack, label, report)
    return report


async def _measure_bot(stack: Stack, label: str, options: Options, report: Report) -> None:
    pid = stack.bot.process.pid
    report.readings.append(_reading(label, "every server received", pid))
    waited = await _settle(pid, options.settle_s)
    report.readings.append(_reading(label, f"settled ({waited:.0f} s later)", pid))


async def _measure_api(stack: Stack, uri: str, options: Options, report: Report) -> None:
    pid = stack.api.process.pid
    _progress(f"seeding {options.matches:,} matches")
    await seed_matches(uri, DATABASE, stack.world, options.matches)
    report.readings.append(_reading("API", "idle (ready, no request served)", pid))
    token = await log_in(stack.api_url)
    paths = _api_paths(stack)
    _progress(f"{options.load_s:.0f} s of GETs, {options.concurrency} at a time")
    sampler = HighestRss(pid)
    async with sampler.sampling():
        report.load = await load(
            stack.api_url, token, paths, seconds=options.load_s, concurrency=options.concurrency
        )
    report.readings.append(
        Reading("API", "under load (highest sample)", sampler.highest, peak_resident_bytes(pid))
    )
    await asyncio.sleep(1.0)
    report.readings.append(_reading("API", "after the load (1 s later)", pid))


async def _measure_trend(stack: Stack, label: str, report: Report) -> None:
    """Two /trend charts of the player's last 100 matches (seeded for the API), one after the
    other; then the bot and its chart worker."""
    _progress("two /trend charts")
    world = stack.world
    for _ in range(2):
        started = time.monotonic()
        handle = stack.emulator.driver.invoke_command(
            "trend",
            member=world.player,
            channel_id=world.channel.id,
            options={"stat": "kd", "last": 100},
        )
        posted = await handle.wait_for_followup(timeout=TREND_TIMEOUT_S)
        if not posted.attachments:
            raise RuntimeError(f"/trend posted no chart: {posted.content!r}")
        report.trends.append(time.monotonic() - started)
    bot = stack.bot.process.pid
    report.readings.append(_reading(label, "after two /trend charts", bot))
    worker = _chart_worker_of(bot)
    if worker is None:
        raise RuntimeError("the bot drew its charts without a chart worker")
    report.readings.append(
        _reading("chart worker (a child of the bot)", "after drawing them", worker)
    )


def _chart_worker_of(parent: int) -> int | None:
    """The pid of `parent`'s chart worker process, if it runs."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if ppid == parent and CHART_WORKER.encode() in command:
                return int(entry.name)
    return None


def _api_paths(stack: Stack) -> list[str]:
    guild = stack.world.guild.id
    return [
        "/api/v1/matches?limit=25",
        "/api/v1/stats/summary",
        f"/api/v1/guilds/{guild}/leaderboard",
        "/api/v1/auth/me",
    ]


class HighestRss:
    """The highest resident size of a process, sampled while a block runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.highest = 0

    @asynccontextmanager
    async def sampling(self) -> AsyncIterator[None]:
        done = asyncio.Event()
        sampler = asyncio.ensure_future(self._sample_until(done))
        try:
            yield
        finally:
            done.set()
            await sampler

    async def _sample_until(self, done: asyncio.Event) -> None:
        while not done.is_set():
            self.highest = max(self.highest, resident_bytes(self.pid))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), SAMPLE_EVERY_S)


async def _settle(pid: int, most_s: float) -> float:
    """Wait until the resident size stops moving (or `most_s`); returns the seconds waited."""
    started = time.monotonic()
    samples = [resident_bytes(pid)]
    while time.monotonic() - started < most_s:
        recent = samples[-SETTLE_SAMPLES:]
        if len(recent) == SETTLE_SAMPLES and max(recent) - min(recent) <= SETTLE_TOLERANCE:
            break
        await asyncio.sleep(1.0)
        samples.append(resident_bytes(pid))
    return time.monotonic() - started


def _reading(process: str, moment: str, pid: int) -> Reading:
    return Reading(process, moment, resident_bytes(pid), peak_resident_bytes(pid))


def report_text(report: Report, options: Options, argv: Sequence[str]) -> str:
    command = shlex.join(["python", "-m", "bench.memory", *argv])
    lines = [
        f"Machine: {this_machine()}",
        f"Command: {command}",
        "",
        markdown_table(
            ("process", "measured", "RSS (MiB)", "peak RSS (MiB)"),
            [reading.row() for reading in report.readings],
        ),
    ]
    settled = [r for r in report.readings if r.moment.startswith("settled")]
    if len(settled) == 2 and options.servers:
        per_server = (settled[1].rss - settled[0].rss) / options.servers
        lines += ["", f"Bot memory per extra server (settled): {per_server / 1024:.1f} KiB"]
    if report.trends:
        times = " and ".join(f"{seconds:.2f} s" for seconds in report.trends)
        lines += ["", f"/trend (100 matches), from the command to the chart posted: {times}"]
    if report.load is not None:
        result = report.load
        statuses = ", ".join(
            f"{status}: {count}" for status, count in sorted(result.statuses.items())
        )
        lines += [
            "",
            f"API load: {result.requests:,} GETs, {options.concurrency} at a time, over "
            f"{result.seconds:.1f} s ({result.per_second:.0f}/s); answers {statuses}",
        ]
    return "\n".join(lines)


def _progress(text: str) -> None:
    print(f"[bench.memory] {text}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    options = parse_args(arguments)
    quiet_logging()
    report = run_until_signalled(run(options), "bench.memory")
    if report is None:
        return INTERRUPTED
    print(report_text(report, options, arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
