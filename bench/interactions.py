"""/debrief under load: N concurrent interactions through the Discord emulator into the real bot.

    python -m bench.interactions                # 100 interactions, Gemini answering in 0.5 s
    python -m bench.interactions --n 1000
    python -m bench.interactions --n 1 --trace  # and one debrief's steps, one by one

The stack is the sandbox's (`open_sandbox`): the Discord emulator and the Gemini stub in this
process, the real `debrief bot` and `debrief api` as child processes, on a fresh embedded
database in a temporary directory. N members of one server each upload a scoreboard screenshot
the bot has never seen (a sample with a changed text chunk), all dispatched at once. The stub
answers every Gemini call (reading the screenshot, then writing the debrief) after a fixed
latency. Everything is measured from Discord's side: the emulator's clock and request log.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient

from app.shared.embedded_db import EmbeddedDatabase, free_port
from bench._interactions_figures import CpuUse, Figures, cpu_use, first_callbacks, summarize
from bench._interactions_reading import (
    CallbackWatch,
    is_over,
    post_arrivals,
    rest_calls,
    timing_of,
)
from bench._interactions_trace import (
    JSON,
    between_calls,
    database_steps,
    discord_steps,
    gemini_steps,
    profiling,
    timeline,
)
from bench._interactions_uploads import distinct_uploads, program_slow_gemini
from bench.common import (
    bench_settings,
    cpu_seconds,
    fresh_database,
    markdown_table,
    quiet_logging,
    run_until_signalled,
    this_machine,
)
from devtools.discord_emulator import InteractionHandle, Member
from devtools.sandbox.orchestrator import Sandbox, SandboxOptions, open_sandbox
from devtools.sandbox.world import EVERYDAY_PERMISSIONS

DATABASE = "debrief_bench"
POLL_S = 0.1
INTERRUPTED = 130


@dataclass(frozen=True)
class Options:
    n: int
    gemini_latency_s: float
    timeout_s: float
    trace: bool = False


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.interactions",
        description="N concurrent /debrief interactions into the real bot; prints the figures.",
    )
    parser.add_argument("--n", type=int, default=100, help="interactions, all at once")
    parser.add_argument("--gemini-latency", type=float, default=0.5, help="seconds per Gemini call")
    parser.add_argument(
        "--timeout", type=float, default=240.0, help="seconds to wait for every answer"
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="with --n 1: the debrief's steps (Discord, Gemini, each database operation)",
    )
    args = parser.parse_args(argv)
    if args.n < 1 or args.gemini_latency < 0 or args.timeout <= 0:
        parser.error("--n must be positive, --gemini-latency not negative, --timeout positive")
    if args.trace and args.n != 1:
        parser.error("--trace follows one debrief: use it with --n 1")
    return Options(args.n, args.gemini_latency, args.timeout, args.trace)


@dataclass(frozen=True)
class Outcome:
    figures: Figures
    cpu: CpuUse
    trace: list[tuple[str, str, str, str]] = field(default_factory=list)
    # --n 1: from the stub's answer to the reading to its next request (the debrief's).
    between_calls_s: float | None = None


async def run(options: Options) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as directory:
        settings = bench_settings(Path(directory))
        _progress("starting the database, the emulators, the bot and the API")
        async with fresh_database() as database:
            # The stub reads the screenshots, at the latency the benchmark gives it.
            sandbox_options = SandboxOptions(
                api_port=free_port(),
                database_uri=database.uri,
                database_name=DATABASE,
                reader="gemini",
            )
            async with open_sandbox(settings, sandbox_options) as sandbox:
                return await _measure(sandbox, database, options)


async def _measure(sandbox: Sandbox, database: EmbeddedDatabase, options: Options) -> Outcome:
    program_slow_gemini(sandbox.stub, options.gemini_latency_s)
    players = _squad(sandbox, options.n)
    driver = sandbox.emulator.driver
    attachments = [
        driver.register_attachment(data, name, "image/png")
        for name, data in distinct_uploads(options.n)
    ]
    sandbox.emulator.request_log.clear()
    processes = _processes(sandbox, database)
    async with _profiled_if(options.trace, database.uri) as profile:
        cpu_before, started = _cpu(processes), time.monotonic()
        handles, unanswered = await _dispatch(sandbox, players, attachments, options)
        wall_s = time.monotonic() - started
        cpu = cpu_use(cpu_before, _cpu(processes), wall_s)
    _progress(f"done in {wall_s:.1f} s ({unanswered} still waiting for an answer)")
    calls = rest_calls(sandbox.emulator.request_log)
    callbacks = first_callbacks(calls)
    arrivals = post_arrivals(sandbox.emulator.request_log)
    figures = summarize(
        [
            timing_of(handle, callbacks.get(handle.id), arrivals.get(handle.record.token))
            for handle in handles
        ],
        calls,
        await _matches_by_interaction(database.uri, [handle.id for handle in handles]),
        gemini_latency_s=options.gemini_latency_s,
        gemini_requests=len(sandbox.stub.requests),
        refused_bodies=len(sandbox.emulator.spec_violations),
    )
    trace = _trace(sandbox, handles[0], profile, options) if options.trace else []
    between = between_calls(sandbox.stub.requests, options.gemini_latency_s)
    return Outcome(figures, cpu, trace, between if options.n == 1 else None)


def _profiled_if(trace: bool, uri: str) -> AbstractAsyncContextManager[list[JSON]]:
    return profiling(uri, DATABASE) if trace else contextlib.nullcontext([])


def _trace(
    sandbox: Sandbox, handle: InteractionHandle, profile: list[JSON], options: Options
) -> list[tuple[str, str, str, str]]:
    steps = [
        *discord_steps(sandbox.emulator.request_log.entries),
        *gemini_steps(sandbox.stub.requests, options.gemini_latency_s),
        *database_steps(profile),
    ]
    return timeline(handle.record.created_at, steps)


async def _dispatch(
    sandbox: Sandbox, players: list[Member], attachments: list[Any], options: Options
) -> tuple[list[InteractionHandle], int]:
    driver = sandbox.emulator.driver
    _progress(f"dispatching {options.n} /debrief interactions")
    handles = [
        driver.invoke_command(
            "debrief",
            member=player,
            channel_id=sandbox.world.channel.id,
            options={"scoreboard": attachment},
        )
        for player, attachment in zip(players, attachments, strict=True)
    ]
    return handles, await _until_answered(sandbox, handles, options.timeout_s)


def _processes(sandbox: Sandbox, database: EmbeddedDatabase) -> dict[str, int | None]:
    """The processes whose CPU time is measured, by name; None is this one."""
    return {
        "bot": sandbox.child("bot").process.pid,
        "API": sandbox.child("API").process.pid,
        "database (SecantusDB)": database.pid,
        "emulator + Gemini stub + this benchmark": None,
    }


def _cpu(processes: dict[str, int | None]) -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in processes.items()}


def _squad(sandbox: Sandbox, count: int) -> list[Member]:
    """`count` everyday members of the sandbox server: cooldowns are per member."""
    driver, guild = sandbox.emulator.driver, sandbox.world.guild
    role = driver.create_role(guild.id, "squad", EVERYDAY_PERMISSIONS)
    return [
        driver.create_member(guild.id, f"bench-player-{number}", role_ids=[role.id])
        for number in range(count)
    ]


async def _until_answered(
    sandbox: Sandbox, handles: Sequence[InteractionHandle], timeout_s: float
) -> int:
    """Wait until each interaction is over; returns how many were not.

    One poller rather than a waiter per interaction: a thousand waiters woken on every
    emulator change would cost this process more CPU than the bot it measures.
    """
    deadline = time.monotonic() + timeout_s
    pending = list(handles)
    callbacks = CallbackWatch(sandbox.emulator.request_log)
    while pending and time.monotonic() < deadline:
        await asyncio.sleep(POLL_S)
        callbacks.catch_up()
        pending = [handle for handle in pending if not is_over(handle, callbacks.of(handle.id))]
    return len(pending)


async def _matches_by_interaction(uri: str, interaction_ids: list[int]) -> dict[int, int]:
    """How many matches the database holds for each interaction."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(uri)
    try:
        cursor = await client[DATABASE]["matches"].aggregate(
            [
                {"$match": {"interaction_id": {"$in": interaction_ids}}},
                {"$group": {"_id": "$interaction_id", "count": {"$sum": 1}}},
            ]
        )
        return {int(group["_id"]): int(group["count"]) async for group in cursor}
    finally:
        await client.close()


def report(outcome: Outcome, argv: Sequence[str]) -> str:
    command = shlex.join(["python", "-m", "bench.interactions", *argv])
    figures = outcome.figures
    failures = [f"- {count} × {text!r}" for text, count in figures.failures.items()]
    return "\n".join(
        [
            f"Machine: {this_machine()}",
            f"Command: {command}",
            "",
            markdown_table(("figure", "value"), figures.rows()),
            *(["", "Failed interactions (what the user saw):", *failures] if failures else []),
            "",
            f"CPU time while answering ({outcome.cpu.wall_s:.1f} s of wall time):",
            "",
            markdown_table(("process", "CPU s", "of one core"), outcome.cpu.rows()),
            *_between_line(outcome.between_calls_s),
            *(_trace_section(outcome.trace) if outcome.trace else []),
        ]
    )


def _between_line(between_s: float | None) -> list[str]:
    if between_s is None:
        return []
    return [
        "",
        "From Gemini's answer to the reading to the debrief's request (the match saved, the "
        f"history read): {between_s * 1000:.0f} ms",
    ]


def _trace_section(rows: list[tuple[str, str, str, str]]) -> list[str]:
    return [
        "",
        "The debrief step by step (ms from the interaction's creation; gap: nothing of these",
        "records running, i.e. the bot's own work and its waits; database times are the",
        "profiler's, whole milliseconds, ended at `end`):",
        "",
        markdown_table(("start", "end", "gap", "step"), rows),
    ]


def _progress(text: str) -> None:
    print(f"[bench.interactions] {text}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    options = parse_args(arguments)
    quiet_logging()
    outcome = run_until_signalled(run(options), "bench.interactions")
    if outcome is None:
        return INTERRUPTED
    print(report(outcome, arguments))
    return 1 if outcome.figures.lost_matches or outcome.figures.duplicated_matches else 0


if __name__ == "__main__":
    sys.exit(main())
