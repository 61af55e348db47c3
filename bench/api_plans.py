"""The queries behind each route: recorded by the server's profiler under load, then explained.

While a route is loaded, the database profiles every operation (`profile` level 2), so what
is recorded is exactly what the real API process sent, with the server's own time for each.
Afterwards a few commands of each query shape are explained with `executionStats`, once as
sent and once without their index hint (same filter, sort and limit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

READS = frozenset({"find", "aggregate"})
PROFILE = "system.profile"
# Driver bookkeeping that explain refuses or that says nothing about the query.
_SESSION_FIELDS = frozenset({"lsid", "txnNumber", "startTransaction", "autocommit"})

Db = AsyncDatabase[dict[str, Any]]


@dataclass(frozen=True)
class ProfiledQuery:
    route: str
    command: dict[str, Any]
    # The server's time for it, under load.
    millis: int

    @property
    def shape(self) -> str:
        return query_shape(self.command)


@asynccontextmanager
async def profiling(db: Db) -> AsyncIterator[None]:
    """Record every operation on `db`, from an empty profile, until the end of the block."""
    await db.command({"profile": 0})
    await db.drop_collection(PROFILE)
    await db.command({"profile": 2})
    try:
        yield
    finally:
        await db.command({"profile": 0})


async def profiled_reads(db: Db, route: str) -> list[ProfiledQuery]:
    """The finds and aggregations the profile holds, in the order they ran."""
    found = []
    async for entry in db[PROFILE].find({}).sort("ts", 1):
        command = entry.get("command") or {}
        if command and next(iter(command)) in READS:
            found.append(ProfiledQuery(route, dict(command), int(entry.get("millis", 0))))
    return found


@dataclass(frozen=True)
class Plan:
    # The winning plan's stages from the top, e.g. ("SORT", "FETCH", "IXSCAN").
    stages: tuple[str, ...]
    index: str | None
    keys_examined: int
    docs_examined: int
    # What the server reports its query stage returned.
    stage_returned: int
    millis: int

    def describe(self) -> str:
        """E.g. "SORT ← FETCH ← IXSCAN user_newest"."""
        text = " ← ".join(self.stages)
        return f"{text} {self.index}" if self.index else text


async def explain(db: Db, command: Mapping[str, Any]) -> Plan:
    result = await db.command("explain", explainable(command), verbosity="executionStats")
    # An aggregation reports its query stage under its first ($cursor) stage.
    cursor = result["stages"][0]["$cursor"] if "stages" in result else result
    stats = cursor["executionStats"]
    stages, index = _walk(cursor["queryPlanner"]["winningPlan"])
    return Plan(
        stages=stages,
        index=index,
        keys_examined=int(stats.get("totalKeysExamined", 0)),
        docs_examined=int(stats["totalDocsExamined"]),
        stage_returned=int(stats["nReturned"]),
        millis=int(stats.get("executionTimeMillis", 0)),
    )


def explainable(command: Mapping[str, Any]) -> dict[str, Any]:
    """The command without the driver's session fields and `$`-options ($db, $clusterTime)."""
    return {
        key: value
        for key, value in command.items()
        if not key.startswith("$") and key not in _SESSION_FIELDS
    }


def without_hint(command: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in command.items() if key != "hint"}


def _walk(plan: Mapping[str, Any]) -> tuple[tuple[str, ...], str | None]:
    stages: list[str] = []
    index = None
    node: Mapping[str, Any] | None = plan
    while node is not None:
        stages.append(str(node["stage"]))
        index = index or node.get("indexName")
        node = node.get("inputStage")
    return tuple(stages), None if index is None else str(index)


def query_shape(command: Mapping[str, Any]) -> str:
    """The query with its values left out, e.g. `find matches {user_id: ?} sort played_at↓…`."""
    name = next(iter(command))
    collection = command[name]
    hint = f" hint {command['hint']}" if "hint" in command else ""
    if name == "aggregate":
        pipeline: Sequence[Mapping[str, Any]] = command.get("pipeline", [])
        first, *rest = pipeline or [{}]
        stages = " ".join(next(iter(stage)) for stage in rest)
        return f"aggregate {collection} {shape(first.get('$match', {}))} then {stages}{hint}"
    parts = [f"{name} {collection} {shape(command.get('filter', {}))}"]
    if command.get("sort"):
        parts.append("sort " + ",".join(_direction(k, v) for k, v in command["sort"].items()))
    if "limit" in command:
        parts.append(f"limit {command['limit']}")
    return " ".join(parts) + hint


def shape(value: Any) -> str:
    """A filter's structure with every value replaced by `?`."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {shape(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(dict.fromkeys(shape(item) for item in value)) + "]"
    return "?"


def _direction(key: str, direction: Any) -> str:
    return f"{key}{'↓' if direction == -1 else '↑'}"


@dataclass(frozen=True)
class ExplainedQuery:
    query: ProfiledQuery
    plan: Plan
    # The same query explained without its hint.
    unhinted: Plan

    @property
    def returned(self) -> int:
        """What the query hands on: a find's rows (at most its limit), an aggregation's matched
        documents to its later stages (what `$group` reads, not the few rows it makes)."""
        limit = self.query.command.get("limit")
        if "aggregate" in self.query.command or not limit:
            return self.plan.stage_returned
        # SecantusDB reports the rows entering the sort, before its limit applies.
        return min(self.plan.stage_returned, int(limit))

    @property
    def examined_per_returned(self) -> float | None:
        return self.plan.docs_examined / self.returned if self.returned else None


async def explain_samples(
    db: Db, queries: Sequence[ProfiledQuery], per_shape: int
) -> list[ExplainedQuery]:
    """Explain the first `per_shape` commands of each (route, shape), with and without hint."""
    chosen: dict[tuple[str, str], list[ProfiledQuery]] = defaultdict(list)
    for query in queries:
        group = chosen[(query.route, query.shape)]
        if len(group) < per_shape:
            group.append(query)
    return [
        ExplainedQuery(query, await explain(db, query.command), await _explain_unhinted(db, query))
        for group in chosen.values()
        for query in group
    ]


async def _explain_unhinted(db: Db, query: ProfiledQuery) -> Plan:
    return await explain(db, without_hint(query.command))


def shape_rows(explained: Sequence[ExplainedQuery]) -> list[list[str]]:
    """One row per (route, query shape): plan, documents examined and returned, server time."""
    groups: dict[tuple[str, str], list[ExplainedQuery]] = defaultdict(list)
    for item in explained:
        groups[(item.query.route, item.query.shape)].append(item)
    rows = []
    for (route, query), items in groups.items():
        ratios = [r for item in items if (r := item.examined_per_returned) is not None]
        rows.append(
            [
                route,
                f"`{query}`",
                "; ".join(dict.fromkeys(item.plan.describe() for item in items)),
                str(len(items)),
                mean_max([item.plan.keys_examined for item in items]),
                mean_max([item.plan.docs_examined for item in items]),
                mean_max([item.returned for item in items]),
                f"{max(ratios):.2f}" if ratios else "n/a (none returned)",
                mean_max([item.plan.millis for item in items]),
                mean_max([item.unhinted.millis for item in items]),
            ]
        )
    return rows


SHAPE_HEADERS = (
    "route",
    "query (values left out)",
    "winning plan",
    "explained",
    "keys examined",
    "docs examined",
    "returned",
    "examined / returned (worst)",
    "server ms as sent",
    "server ms without the hint",
)


def mean_max(values: Sequence[int]) -> str:
    """ "12" when every value is 12, else "mean / max"."""
    if not values:
        return "-"
    mean, top = fmean(values), max(values)
    return f"{mean:,.0f}" if mean == top else f"{mean:,.0f} / {top:,}"
