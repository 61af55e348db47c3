"""Resident memory of the API while it renders the dashboard's pages.

    python -m bench.dashboard_memory            # 1,000 matches; 20 s of pages, 20 at a time

The sandbox's stack (emulated Discord and AI, the real bot and API processes) on a fresh
embedded database, with the sandbox player's matches seeded; the player logs in with Discord
through the emulator, then the API is measured idle, while it renders every dashboard page
in turn (my matches, filtered and paged, a match, trends with a squadmate's overlay, the
server's leaderboard, week and settings), and 1 s after. RSS is VmRSS, peak is VmHWM.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import aiohttp

from bench._memory_load import log_in
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
from bench.memory import HighestRss

DATABASE = "debrief_dashboard_memory"


async def run(matches: int, seconds: float, concurrency: int) -> list[tuple[str, int, int]]:
    readings: list[tuple[str, int, int]] = []
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as directory:
        settings = bench_settings(Path(directory))
        async with (
            fresh_database() as database,
            open_stack(settings, database.uri, DATABASE, Servers(0, 1)) as stack,
        ):
            await seed_matches(database.uri, DATABASE, stack.world, matches)
            pid = stack.api.process.pid
            readings.append(("idle (ready, no page served)", *_memory(pid)))
            token = await log_in(stack.api_url)
            sampler = HighestRss(pid)
            async with sampler.sampling():
                statuses, served = await _load(stack, token, seconds, concurrency)
            readings.append(("rendering pages (highest sample)", sampler.highest, _memory(pid)[1]))
            await asyncio.sleep(1.0)
            readings.append(("after the load (1 s later)", *_memory(pid)))
    print(f"pages: {served} in {seconds:.0f} s, {concurrency} at a time; statuses {dict(statuses)}")
    return readings


async def _load(
    stack: Stack, token: str, seconds: float, concurrency: int
) -> tuple[Counter[int], int]:
    statuses: Counter[int] = Counter()
    deadline = time.perf_counter() + seconds
    headers = {"Cookie": f"debrief_access={token}"}

    async def worker(http: aiohttp.ClientSession, targets: Iterator[str]) -> None:
        while time.perf_counter() < deadline:
            async with http.get(f"{stack.api_url}{next(targets)}") as response:
                await response.read()
                statuses[response.status] += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as http:
        # The newest match's page too: its id is on the first page of the listing.
        async with http.get(f"{stack.api_url}/dashboard/matches") as first:
            match_id = (await first.text()).split('href="/dashboard/matches/', 1)[1][:24]
        targets = itertools.cycle([*_pages(stack), f"/dashboard/matches/{match_id}"])
        await asyncio.gather(*(worker(http, targets) for _ in range(concurrency)))
    return statuses, sum(statuses.values())


def _pages(stack: Stack) -> list[str]:
    guild = stack.world.guild.id
    mate = stack.world.teammate.user.id
    return [
        "/dashboard/matches",
        "/dashboard/matches?mode=hardpoint&period=month",
        f"/dashboard/trends?stat=kills&last=100&guild_id={guild}&compare_with={mate}",
        f"/dashboard/servers/{guild}?stat=kd&period=all",
        "/dashboard/servers",
    ]


def _memory(pid: int) -> tuple[int, int]:
    return resident_bytes(pid), peak_resident_bytes(pid)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--matches", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args(argv)
    quiet_logging()
    readings = run_until_signalled(
        run(args.matches, args.seconds, args.concurrency), "dashboard_memory"
    )
    if readings is None:
        sys.exit(1)
    print(f"Machine: {this_machine()}")
    print(
        markdown_table(
            ("API", "RSS (MiB)", "peak RSS (MiB)"),
            [(moment, f"{rss / MIB:.1f}", f"{peak / MIB:.1f}") for moment, rss, peak in readings],
        )
    )


if __name__ == "__main__":
    main()
