"""`--trace`: one debrief's steps on one clock, from Discord's, Gemini's and the database's records.

Nothing in the bot is instrumented: the emulator logs each REST request it answers, the stub
each Gemini call, and the database's profiler (level 2, on only while tracing: it costs each
operation a write of its own) each operation with its end time and duration. All three run on
this machine's wall clock, so they line up to the millisecond the profiler keeps.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo import AsyncMongoClient

from devtools.discord_emulator.request_log import LoggedRequest
from devtools.gemini_stub.state import RecordedRequest

JSON = dict[str, Any]


@dataclass(frozen=True)
class Step:
    start: float  # Unix seconds
    end: float
    what: str


@contextlib.asynccontextmanager
async def profiling(uri: str, database: str) -> AsyncIterator[list[JSON]]:
    """Profile every operation on `database` inside the block; the entries, after it."""
    client: AsyncMongoClient[JSON] = AsyncMongoClient(uri)
    db = client[database]
    entries: list[JSON] = []
    try:
        await db.command({"profile": 0})
        await db.drop_collection("system.profile")
        await db.command({"profile": 2})
        yield entries
        await db.command({"profile": 0})
        entries += [entry async for entry in db["system.profile"].find().sort("ts", 1)]
    finally:
        await client.close()


def database_steps(entries: Sequence[JSON]) -> list[Step]:
    steps = []
    for entry in entries:
        collection = str(entry.get("ns", "")).split(".", 1)[-1]
        if collection.startswith("system.") or _is_polling(collection, entry["command"]):
            continue
        end = _unix(entry["ts"])
        start = end - float(entry.get("millis", 0)) / 1000
        steps.append(Step(start, end, f"db {collection} {_describe(entry['command'])}"))
    return steps


def _is_polling(collection: str, command: JSON) -> bool:
    """The bot's background rounds (the outbox consumer, the digest scheduler)."""
    where = _filter(command)
    if collection == "outbox" and "insert" not in command and "_id" not in where:
        return True
    return collection == "guild_configs" and "digest_weekday" in where


def _describe(command: JSON) -> str:
    name = next(iter(command))
    fields = ",".join(sorted(_filter(command)))
    return f"{name} {fields}".rstrip()


def _filter(command: JSON) -> JSON:
    name = next(iter(command))
    if name == "find":
        return dict(command.get("filter", {}))
    if name in ("update", "delete"):
        return dict(command[f"{name}s"][0]["q"])
    if name == "findAndModify":
        return dict(command.get("query", {}))
    return {}


def gemini_steps(requests: Sequence[RecordedRequest], latency_s: float) -> list[Step]:
    # The stub answers `latency_s` after a request arrives (its whole answer, at once).
    return [
        Step(
            _unix(request.received_at),
            _unix(request.received_at) + latency_s,
            f"gemini {request.method} ({'image' if request.images else 'text'})",
        )
        for request in requests
    ]


def between_calls(requests: Sequence[RecordedRequest], latency_s: float) -> float | None:
    """Seconds from the first Gemini call's answer to the second call's arrival, if two."""
    if len(requests) < 2:
        return None
    first, second = requests[0], requests[1]
    return _unix(second.received_at) - (_unix(first.received_at) + latency_s)


def discord_steps(entries: Sequence[LoggedRequest]) -> list[Step]:
    return [
        Step(entry.at, entry.at + entry.duration, f"discord {entry.method} {entry.template}")
        for entry in entries
    ]


def timeline(created_at: float, steps: Sequence[Step]) -> list[tuple[str, str, str, str]]:
    """Rows (start ms, end ms, gap ms since the previous step ended, step), from the
    interaction's creation."""
    rows = []
    last_end = created_at
    for step in sorted(steps, key=lambda s: (s.start, s.end)):
        gap = (step.start - last_end) * 1000
        rows.append(
            (
                f"{(step.start - created_at) * 1000:.0f}",
                f"{(step.end - created_at) * 1000:.0f}",
                f"{gap:.0f}" if gap > 0 else "",
                step.what,
            )
        )
        last_end = max(last_end, step.end)
    return rows


def _unix(moment: datetime | float) -> float:
    if isinstance(moment, datetime):
        # The profiler's timestamps are naive UTC.
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    return moment
