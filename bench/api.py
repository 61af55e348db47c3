"""The API's main reads under load, on 100,000 matches of 1,000 players in 20 servers.

    python -m bench.api                                   # the issue's figures (about 4 min)
    python -m bench.api --matches 10000 --users 100       # a quick look (about 1 min)
    python -m bench.api --mongodb-uri mongodb://host/     # against your own MongoDB

A fresh embedded database (SecantusDB) in a temporary directory is seeded with the app's own
models, the real API runs as `python -m app.cli api` (production settings) on a free loopback
port, and N workers with Bearer tokens of random players load one route at a time for a fixed
duration: "my matches" (first page, then the next page through its cursor), a server's
leaderboard, and the stats summary. The database profiles every operation meanwhile; then some
commands of each query shape are explained. Prints Markdown tables; everything it started is
stopped at the end, and the database it seeded is deleted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import sys
import tempfile
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

import httpx
from pydantic import SecretStr
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from app.api.auth.tokens import AccessTokens
from app.core.clock import utc_now
from app.shared.embedded_db import EmbeddedDatabase
from app.shared.settings import load_settings
from bench.api_database import Seeded, seed_database
from bench.api_load import Call, Route, RouteRun, run_route
from bench.api_plans import (
    SHAPE_HEADERS,
    ProfiledQuery,
    explain_samples,
    profiled_reads,
    profiling,
    shape_rows,
)
from bench.api_seed import Player, World, plan_world
from bench.api_server import log_problems, running_api
from bench.common import markdown_table, quiet_logging, this_machine

PAGE_SIZE = 20
MY_MATCHES = f"GET /api/v1/matches?limit={PAGE_SIZE}"
NEXT_PAGE = f"GET /api/v1/matches?limit={PAGE_SIZE}&cursor=…"
LEADERBOARD = "GET /api/v1/guilds/{id}/leaderboard"
SUMMARY = "GET /api/v1/stats/summary"
REQUEST_TIMEOUT_S = 300.0
# The queries' figures come from a run of their own under the profiler (see load_routes).
PROFILED_S = 3.0

Tokens = Mapping[int, Mapping[str, str]]
Db = AsyncDatabase[dict[str, Any]]


@dataclass(frozen=True)
class Options:
    matches: int
    users: int
    guilds: int
    workers: int
    duration_s: float
    warmup_s: float
    max_requests: int | None
    explain_per_shape: int
    seed: int
    mongodb_uri: str | None


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.api",
        description="Load the API's main reads on a seeded database; prints the figures.",
    )
    parser.add_argument("--matches", type=int, default=100_000, help="matches to seed")
    parser.add_argument("--users", type=int, default=1_000, help="players to seed")
    parser.add_argument("--guilds", type=int, default=20, help="servers to seed")
    parser.add_argument("--workers", type=int, default=4, help="concurrent callers per route")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per route")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="unmeasured seconds of load before each route"
    )
    parser.add_argument("--requests", type=int, default=None, help="at most this many per route")
    parser.add_argument("--explain", type=int, default=2, help="commands explained per query shape")
    parser.add_argument("--seed", type=int, default=6, help="seed of the random community")
    parser.add_argument(
        "--mongodb-uri", default=None, help="use this MongoDB instead of an embedded one"
    )
    args = parser.parse_args(argv)
    if min(args.matches, args.users, args.workers, args.explain) < 1 or args.duration <= 0:
        parser.error("counts must be positive, and so must --duration")
    if args.warmup < 0:
        parser.error("--warmup cannot be negative")
    if args.guilds < 2 or args.matches < args.users:
        parser.error("need at least 2 servers and at least one match per player")
    return Options(
        matches=args.matches,
        users=args.users,
        guilds=args.guilds,
        workers=args.workers,
        duration_s=args.duration,
        warmup_s=args.warmup,
        max_requests=args.requests,
        explain_per_shape=args.explain,
        seed=args.seed,
        mongodb_uri=args.mongodb_uri,
    )


async def run(options: Options) -> None:
    print(f"Machine: {this_machine()}\n")
    world = plan_world(
        users=options.users, guilds=options.guilds, matches=options.matches, seed=options.seed
    )
    with tempfile.TemporaryDirectory(prefix="debrief-bench-api-") as directory:
        workdir = Path(directory)
        async with database_server(options.mongodb_uri, workdir) as uri:
            database = f"debrief_bench_api_{uuid.uuid4().hex[:8]}"
            client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(uri, tz_aware=True)
            try:
                await measure(uri, client[database], world, workdir, options)
            finally:
                await client.drop_database(database)
                await client.close()


@asynccontextmanager
async def database_server(uri: str | None, workdir: Path) -> AsyncIterator[str]:
    """The given MongoDB, or an embedded SecantusDB server stopped at the end."""
    if uri is not None:
        yield uri
        return
    server = EmbeddedDatabase(storage=workdir / "db", log_file=workdir / "db.log")
    await asyncio.to_thread(server.start)
    try:
        yield server.uri
    finally:
        await asyncio.to_thread(server.stop)


async def measure(uri: str, db: Db, world: World, workdir: Path, options: Options) -> None:
    seeded = await seed_database(uri, db.name, world, now=datetime.now(UTC), seed=options.seed)
    print_dataset(world, seeded)
    secret = secrets.token_urlsafe(48)
    routes = main_reads(world, bearer_tokens(world, seeded, secret), page_cursors(world, seeded))
    async with running_api(
        mongodb_uri=uri, database=db.name, jwt_secret=secret, workdir=workdir
    ) as api:
        runs, queries, profiled = await load_routes(api.base_url, db, routes, options)
    print_load(runs, queries, profiled, options)
    problems = log_problems(api.log_path)
    print(f"API log: {len(problems)} warning or error lines.", *problems[:5], sep="\n")
    print()
    explained = await explain_samples(db, queries, options.explain_per_shape)
    print(f"Every query shape the routes sent, {options.explain_per_shape} explained each.\n")
    print(markdown_table(SHAPE_HEADERS, shape_rows(explained)), flush=True)


def bearer_tokens(world: World, seeded: Seeded, secret: str) -> dict[int, dict[str, str]]:
    """An access token per player for their seeded session, signed like the API's own (same
    secret, issuer, audience)."""
    settings = load_settings(_env_file=None, debrief_env="production", jwt_secret=SecretStr(secret))
    tokens = AccessTokens(settings, utc_now)
    headers = {}
    for player in world.players:
        token, _ = tokens.issue(player.discord_id, seeded.sessions[player.discord_id])
        headers[player.discord_id] = {"Authorization": f"Bearer {token}"}
    return headers


def page_cursors(world: World, seeded: Seeded) -> list[tuple[Player, str]]:
    """For every player with a second page: the cursor their first page ends with."""
    cursors = (
        (player, seeded.page_cursor(player.discord_id, PAGE_SIZE)) for player in world.players
    )
    return [(player, cursor) for player, cursor in cursors if cursor is not None]


def main_reads(world: World, tokens: Tokens, cursors: Sequence[tuple[Player, str]]) -> list[Route]:
    players = world.players

    def my_matches(rng: random.Random) -> Call:
        player = rng.choice(players)
        return Call(f"/api/v1/matches?limit={PAGE_SIZE}", tokens[player.discord_id])

    def next_page(rng: random.Random) -> Call:
        player, cursor = rng.choice(cursors)
        path = f"/api/v1/matches?limit={PAGE_SIZE}&cursor={urllib.parse.quote(cursor)}"
        return Call(path, tokens[player.discord_id])

    def guild_leaderboard(rng: random.Random) -> Call:
        player = rng.choice(players)
        guild_id = rng.choice(player.guild_ids)
        return Call(f"/api/v1/guilds/{guild_id}/leaderboard", tokens[player.discord_id])

    def summary(rng: random.Random) -> Call:
        player = rng.choice(players)
        return Call("/api/v1/stats/summary", tokens[player.discord_id])

    routes = [Route(MY_MATCHES, my_matches)]
    if cursors:
        routes.append(Route(NEXT_PAGE, next_page))
    return [*routes, Route(LEADERBOARD, guild_leaderboard), Route(SUMMARY, summary)]


async def load_routes(
    base_url: str, db: Db, routes: Sequence[Route], options: Options
) -> tuple[list[RouteRun], list[ProfiledQuery], dict[str, int]]:
    """Each route in turn, then a shorter run of it under the database's profiler; the
    profiled queries, and how many requests each route's profiled run answered.

    The profiler writes a document per operation: on SecantusDB that costs more than the
    operations themselves, so the figures come from the run without it.
    """
    limits = httpx.Limits(
        max_connections=options.workers, max_keepalive_connections=options.workers
    )
    runs: list[RouteRun] = []
    queries: list[ProfiledQuery] = []
    profiled: dict[str, int] = {}
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT_S
    ) as http:
        for route in routes:
            if options.warmup_s:  # the API's first requests open its connections and caches
                await run_route(
                    http, route, workers=options.workers, duration_s=options.warmup_s, seed=-1
                )
            runs.append(
                await run_route(
                    http,
                    route,
                    workers=options.workers,
                    duration_s=options.duration_s,
                    max_requests=options.max_requests,
                    seed=options.seed,
                )
            )
            async with profiling(db):
                run = await run_route(
                    http, route, workers=options.workers, duration_s=PROFILED_S, seed=options.seed
                )
            profiled[route.name] = run.answered
            queries += await profiled_reads(db, route.name)
    return runs, queries, profiled


def print_dataset(world: World, seeded: Seeded) -> None:
    counts = sorted(player.match_count for player in world.players)
    print(
        f"Seeded {seeded.matches:,} matches of {len(world.players):,} players in "
        f"{len(world.guild_ids)} servers (matches per player: min {counts[0]}, "
        f"median {median(counts):.0f}, max {counts[-1]}); each player belongs to 2 servers.\n"
    )
    print(markdown_table(("seeding step", "time"), seeded.timings.rows()))
    print(flush=True)


def print_load(
    runs: Sequence[RouteRun],
    queries: Sequence[ProfiledQuery],
    profiled: Mapping[str, int],
    options: Options,
) -> None:
    print(
        f"Load: {options.workers} concurrent workers per route, {options.duration_s:g} s per "
        f"route after {options.warmup_s:g} s unmeasured (requests in flight at the end are "
        "awaited), one route at a time; then the queries of each route, profiled for "
        f"{PROFILED_S:g} s more.\n"
    )
    rows = []
    for run in runs:
        mine = [query for query in queries if query.route == run.name]
        per_request = max(profiled.get(run.name, 0), 1)
        rows.append(
            [
                run.name,
                f"{run.answered:,}",
                f"{run.requests_per_s:,.2f}",
                f"{run.latency_ms(50):,.0f}",
                f"{run.latency_ms(99):,.0f}",
                f"{max(run.latencies_s, default=0) * 1000:,.0f}",
                run.error_detail(),
                f"{len(mine) / per_request:.1f}",
                f"{sum(query.millis for query in mine) / per_request:,.0f}",
            ]
        )
    headers = (
        "route",
        "requests",
        "requests/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "errors (non-2xx)",
        "queries per request (profiled)",
        "database ms per request (profiled)",
    )
    print(markdown_table(headers, rows))
    print(flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    quiet_logging()
    asyncio.run(run(options))


if __name__ == "__main__":
    main()
