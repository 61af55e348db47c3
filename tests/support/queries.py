"""Records every query the app sends to MongoDB and checks each one with `explain`."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import (
    CommandFailedEvent,
    CommandListener,
    CommandStartedEvent,
    CommandSucceededEvent,
)

READ_COMMANDS = {"find", "aggregate", "findAndModify", "count", "distinct"}
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


async def explain(db: AsyncDatabase[dict[str, Any]], command: dict[str, Any]) -> QueryPlan:
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


def _walk(plan: dict[str, Any]) -> tuple[list[str], str | None]:
    stages: list[str] = []
    index = None
    node: dict[str, Any] | None = plan
    while node:
        stages.append(node["stage"])
        index = index or node.get("indexName")
        node = node.get("inputStage")
    return stages, index
