"""The heaviest /ask plans the guard accepts, timed on one server's 100,000 matches.

    python -m bench.ask_worst                             # 100,000 matches (seeding: minutes)
    python -m bench.ask_worst --storage /tmp/askdb        # keep the data; reused next time
    python -m bench.ask_worst --mongodb-uri mongodb://host/

Every match is seeded in ONE server (the scope of a server-wide question holds them all), with
the app's own models (see bench/api_seed.py). Each plan below is first checked to be accepted
by the guard (it prints the guard's work estimate), then run by the app's runner exactly as
/ask runs it (maxTimeMS included). Prints a Markdown table; an embedded server it started is
stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient

from app.core.ask.errors import QuestionNotComputable, QuestionTooHeavy
from app.core.ask.expressions import Budget, Visible, Walker
from app.core.ask.guard import MAX_DEPTH, MAX_NODES, Scope, guard_pipeline
from app.core.ask.stages import check_stage
from app.core.ask.workload import check_workload
from app.core.clock import utc_now
from app.shared.db.connection import connect_database
from app.shared.db.repositories.ask import BeanieGuardedQueryRunner
from app.shared.embedded_db import EmbeddedDatabase
from bench.api_database import seed_database
from bench.api_seed import GUILD_BASE, USER_BASE, Player, World, skewed_counts
from bench.common import MIB, markdown_table, quiet_logging, resident_bytes, this_machine

DATABASE = "debrief_bench_ask"
GUILD = GUILD_BASE
MAP = "$stats.map"
# Fifteen map names: just under the 4 KB value cap for the longest names there can be.
WIDE = {"$concat": [MAP] * 15}

PLANS: dict[str, list[dict[str, Any]]] = {
    "baseline: $count": [{"$count": "n"}],
    "sort every match by score": [{"$sort": {"stats.player.score": -1}}],
    "weapons: $unwind, $group, $sort": [
        {"$unwind": "$stats.weapons"},
        {"$group": {"_id": "$stats.weapons.name", "kills": {"$sum": "$stats.weapons.kills"}}},
        {"$sort": {"kills": -1}},
    ],
    "map doubled 3 times, sorted on it": [
        {"$set": {"a": MAP}},
        *({"$set": {"a": {"$concat": ["$a", "$a"]}}} for _ in range(3)),
        {"$sort": {"a": -1}},
    ],
    "three 15-map strings, sorted": [
        {"$set": {"w0": WIDE, "w1": WIDE, "w2": WIDE}},
        {"$sort": {"w0": -1, "played_at": -1}},
    ],
    "15-map string per match, grouped by time": [
        {"$group": {"_id": "$played_at", "top": {"$max": WIDE}, "low": {"$min": WIDE}}},
        {"$sort": {"top": -1}},
    ],
    "weapons unwound, 8-name string each, sorted": [
        {"$unwind": "$stats.weapons"},
        {"$set": {"w": {"$concat": ["$stats.weapons.name"] * 8}}},
        {"$sort": {"w": -1}},
    ],
}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ask_worst", description=__doc__)
    parser.add_argument("--matches", type=int, default=100_000, help="matches in the server")
    parser.add_argument("--users", type=int, default=200, help="players in the server")
    parser.add_argument("--storage", type=Path, default=None, help="embedded data, kept")
    parser.add_argument("--mongodb-uri", default=None, help="use this MongoDB instead")
    parser.add_argument("--seed", type=int, default=9, help="seed of the random matches")
    return parser.parse_args(argv)


def estimated_work(pipeline: list[dict[str, Any]]) -> int:
    walker = Walker(Budget(max_nodes=MAX_NODES, max_depth=MAX_DEPTH), Visible.catalogue())
    return check_workload([check_stage(walker, stage) for stage in pipeline])


@asynccontextmanager
async def server(uri: str | None, storage: Path | None) -> AsyncIterator[tuple[str, int | None]]:
    if uri is not None:
        yield uri, None
        return
    with tempfile.TemporaryDirectory(prefix="debrief-bench-ask-") as directory:
        embedded = EmbeddedDatabase(storage=storage or Path(directory) / "data")
        await asyncio.to_thread(embedded.start)
        try:
            process = embedded._process
            yield embedded.uri, process.pid if process else None
        finally:
            await asyncio.to_thread(embedded.stop)


async def ensure_seeded(uri: str, matches: int, users: int, seed: int) -> float:
    """Seed the one-server community unless it is there already; the seconds it took."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(uri)
    try:
        present = await client[DATABASE]["matches"].count_documents({"guild_id": GUILD})
    finally:
        await client.close()
    if present >= matches:
        return 0.0
    counts = skewed_counts(random.Random(seed), users, matches)
    players = tuple(Player(USER_BASE + i, (GUILD,), count) for i, count in enumerate(counts))
    world = World(guild_ids=(GUILD,), players=players)
    started = time.perf_counter()
    await seed_database(uri, DATABASE, world, now=utc_now(), seed=seed)
    return time.perf_counter() - started


async def time_plan(pipeline: list[dict[str, Any]]) -> tuple[float, str]:
    guarded = guard_pipeline(pipeline, Scope(GUILD))
    started = time.perf_counter()
    try:
        rows = await BeanieGuardedQueryRunner().run_guarded(
            guarded.stages, max_time_ms=guarded.max_time_ms
        )
        outcome = f"{len(rows)} rows"
    except QuestionTooHeavy:
        outcome = f"too heavy (maxTimeMS {guarded.max_time_ms})"
    except QuestionNotComputable:
        outcome = "not computable"
    return time.perf_counter() - started, outcome


async def run(options: argparse.Namespace) -> None:
    print(f"Machine: {this_machine()}\n")
    async with server(options.mongodb_uri, options.storage) as (uri, pid):
        seeded_s = await ensure_seeded(uri, options.matches, options.users, options.seed)
        print(f"Seeding: {seeded_s:.0f} s (0: reused)\n")
        rows = []
        async with connect_database(uri, DATABASE, app_name="debrief-bench-ask"):
            for name, pipeline in PLANS.items():
                work = estimated_work(pipeline)
                elapsed, outcome = await time_plan(pipeline)
                peak = f"{resident_bytes(pid) / MIB:.0f}" if pid else "n/a"
                rows.append((name, f"{work / 1024:.0f}", f"{elapsed:.2f}", outcome, peak))
                print(f"  {name}: {elapsed:.2f} s", file=sys.stderr)
        print(f"{options.matches:,} matches in one server, scope = the whole server\n")
        headers = ["accepted plan", "guard's work estimate (KB/match)", "time (s)", "outcome",
                   "server RSS after (MiB)"]  # fmt: skip
        print(markdown_table(headers, rows))


def main(argv: Sequence[str] | None = None) -> None:
    quiet_logging()
    asyncio.run(run(parse_args(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    main()
