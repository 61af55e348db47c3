"""Records every query the app sends to MongoDB and checks each one with `explain`.

On MongoDB, `explain` reports what the server does. On SecantusDB it does not, in two ways
that matter here (read in its `storage.py`, `find_matching` and `explain_plan`):

- a read that carries a `hint` walks the whole hinted index and decodes every document,
  while its `explain` reports only the documents that match;
- without a hint, a filter that no index fits as a whole is still looked up through the first
  of its clauses that has an index (`_try_index_id_keys`), while its `explain` says COLLSCAN.

So on SecantusDB, `explain` here reports what the server really reads: the whole collection
for a hinted read; otherwise the documents that match the clauses its index bounds (the
filter's fields in the index's key, or the one clause it falls back to).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import (
    CommandFailedEvent,
    CommandListener,
    CommandStartedEvent,
    CommandSucceededEvent,
)

from app.shared.db.connection import Database
from app.shared.db.hints import Backend, current_backend

READ_COMMANDS = {"find", "aggregate", "findAndModify", "count", "distinct"}
# Where each read command keeps its filter.
_FILTER_FIELD = {"find": "filter", "findAndModify": "query", "count": "query", "distinct": "query"}
WRITE_COMMANDS = {"update": "updates", "delete": "deletes"}


@dataclass
class QueryRecorder(CommandListener):
    """A PyMongo command listener that keeps the queries (not inserts or admin commands)."""

    commands: list[dict[str, Any]] = field(default_factory=list)
    enabled: bool = True

    def started(self, event: CommandStartedEvent) -> None:
        name = event.command_name
        if self.enabled and (name in READ_COMMANDS or name in WRITE_COMMANDS):
            self.commands.append(copy.deepcopy(dict(event.command)))

    def succeeded(self, event: CommandSucceededEvent) -> None:
        return None

    def failed(self, event: CommandFailedEvent) -> None:
        return None


@dataclass(frozen=True)
class QueryPlan:
    command: str
    collection: str
    stages: tuple[str, ...]
    index: str | None
    examined: int
    returned: int


def explainable(command: dict[str, Any]) -> list[dict[str, Any]]:
    """The commands to explain for one recorded command.

    SecantusDB's explain of update/delete ignores the statement's predicate, so each statement
    is explained as the equivalent find (same filter, same hint), which is what the write uses
    to locate its documents.
    """
    name = next(iter(command))
    if is_change_stream(command):
        # It tails the oplog, not the collection: explain would report a scan that never runs.
        return []
    body = {
        k: v for k, v in command.items() if not k.startswith("$") and k not in {"lsid", "txnNumber"}
    }
    if name not in WRITE_COMMANDS:
        return [body]
    finds = []
    for statement in body[WRITE_COMMANDS[name]]:
        find: dict[str, Any] = {"find": body[name], "filter": statement["q"]}
        if "hint" in statement:
            find["hint"] = statement["hint"]
        finds.append(find)
    return finds


def is_change_stream(command: dict[str, Any]) -> bool:
    pipeline = command.get("pipeline") or [{}]
    return "aggregate" in command and "$changeStream" in pipeline[0]


async def assert_every_query_uses_an_index(
    commands: list[dict[str, Any]], database: Database, recorder: QueryRecorder
) -> None:
    """Explain each recorded command (not recording the explains): each must use an index.

    On SecantusDB a hinted read walks its whole index (see above), so none may carry a hint.
    """
    recorder.enabled = False
    try:
        for command in commands:
            if database.backend is Backend.SECANTUS:
                assert not is_hinted_read(command), f"a hinted read walks its index: {command}"
            for body in explainable(command):
                plan = await explain(database.db, body)
                assert "COLLSCAN" not in plan.stages, f"collection scan for {body}"
                assert plan.index, f"no index used for {body}"
    finally:
        recorder.enabled = True


async def explain(db: AsyncDatabase[dict[str, Any]], command: dict[str, Any]) -> QueryPlan:
    plan = await _explained(db, command)
    if current_backend() is Backend.SECANTUS:
        return await _as_secantus_runs(db, command, plan)
    return plan


async def _explained(db: AsyncDatabase[dict[str, Any]], command: dict[str, Any]) -> QueryPlan:
    result = await db.command("explain", command, verbosity="executionStats")
    planner = result.get("queryPlanner") or result["stages"][0]["$cursor"]["queryPlanner"]
    stats = result.get("executionStats") or result["stages"][0]["$cursor"]["executionStats"]
    stages, index = _walk(planner["winningPlan"])
    return QueryPlan(
        command=next(iter(command)),
        collection=str(command[next(iter(command))]),
        stages=tuple(stages),
        index=index,
        examined=int(stats["totalDocsExamined"]),
        returned=int(stats["nReturned"]),
    )


def is_hinted_read(command: dict[str, Any]) -> bool:
    """A read SecantusDB answers by walking the whole hinted index (its writes only check
    that the hint names an index, so a hinted update or delete is not one)."""
    return next(iter(command)) in READ_COMMANDS and command.get("hint") is not None


async def _as_secantus_runs(
    db: AsyncDatabase[dict[str, Any]], command: dict[str, Any], plan: QueryPlan
) -> QueryPlan:
    collection = db[plan.collection]
    if is_hinted_read(command):
        return _replace(plan, examined=await collection.count_documents({}))
    query = filter_of(command)
    if plan.index is None:
        fallback = await _first_indexed_clause(db, command, query)
        if fallback is None:
            return plan
        clause, clause_plan = fallback
        examined = await collection.count_documents(clause)
        return _replace(plan, stages=clause_plan.stages, index=clause_plan.index, examined=examined)
    key = await _key_pattern(db, plan.collection, plan.index)
    bounded = {path: value for path, value in query.items() if path in key}
    return _replace(plan, examined=await collection.count_documents(bounded))


async def _first_indexed_clause(
    db: AsyncDatabase[dict[str, Any]], command: dict[str, Any], query: dict[str, Any]
) -> tuple[dict[str, Any], QueryPlan] | None:
    if any(path.startswith("$") for path in query):
        return None  # a rooted operator: SecantusDB really scans the collection
    for path, value in query.items():
        clause = {path: value}
        clause_plan = await _explained(db, {"find": command[next(iter(command))], "filter": clause})
        if clause_plan.index is not None:
            return clause, clause_plan
    return None


def filter_of(command: dict[str, Any]) -> dict[str, Any]:
    """The filter the server's planner sees: an aggregation's leading `$match`."""
    name = next(iter(command))
    if name == "aggregate":
        first = (command.get("pipeline") or [{}])[0]
        return dict(first.get("$match") or {})
    return dict(command.get(_FILTER_FIELD.get(name, "filter")) or {})


async def _key_pattern(db: AsyncDatabase[dict[str, Any]], collection: str, index: str) -> set[str]:
    if index == "_id_":
        return {"_id"}
    indexes = await db[collection].index_information()
    return {path for path, _direction in indexes[index]["key"]}


def _replace(plan: QueryPlan, **changes: Any) -> QueryPlan:
    return dataclasses.replace(plan, **changes)


def _walk(plan: dict[str, Any]) -> tuple[list[str], str | None]:
    stages: list[str] = []
    index = None
    node: dict[str, Any] | None = plan
    while node:
        stages.append(node["stage"])
        index = index or node.get("indexName")
        node = node.get("inputStage")
    return stages, index
