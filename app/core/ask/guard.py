"""The /ask guard: the only way a planned pipeline reaches the database.

The planner is a language model reading untrusted questions, so its pipeline is treated as
hostile input. The guard accepts only allowlisted stages and operators over catalogued fields
(checked at every depth), then forces the scope: the first stage selects the asking server's
(or the asking player's) matches and the second projects them down to the catalogued fields.
No allowed stage can add documents back (nothing reads another collection or runs a
sub-pipeline), so the model can narrow that scope but never widen it. Allowed operators can
still build large values (a $concat of a $concat...), so the checked stages are also followed
with size bounds (`workload`): a plan that may build too much or work too hard is refused too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.ask.expressions import Budget, Visible, Walker, refuse
from app.core.ask.fields import catalogue_projection
from app.core.ask.stages import check_stage
from app.core.ask.workload import check_workload

MAX_STAGES = 10
MAX_NODES = 200
MAX_DEPTH = 10
DEFAULT_MAX_LIMIT = 50
DEFAULT_MAX_TIME_MS = 2000
# What to call a grouped result's _id when it is not simply a field.
GROUP_LABEL = "group"


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose matches a question may see: a server's, or one player's in that server."""

    guild_id: int
    user_id: int | None = None

    def filter(self) -> dict[str, int]:
        if self.user_id is None:
            return {"guild_id": self.guild_id}
        return {"guild_id": self.guild_id, "user_id": self.user_id}


@dataclass(frozen=True, slots=True)
class GuardedPipeline:
    """A checked, scoped pipeline, and how long the database may spend on it."""

    stages: tuple[dict[str, Any], ...]
    max_time_ms: int
    # The output's _id names this (e.g. "map" after grouping by "$stats.map").
    id_label: str = GROUP_LABEL


def guard_pipeline(
    pipeline: Sequence[Mapping[str, Any]],
    scope: Scope,
    *,
    max_limit: int = DEFAULT_MAX_LIMIT,
    max_time_ms: int = DEFAULT_MAX_TIME_MS,
) -> GuardedPipeline:
    """Check a planned pipeline and scope it; raise PipelineRefused if any rule is broken."""
    planned = _stage_list(pipeline)
    walker = Walker(Budget(max_nodes=MAX_NODES, max_depth=MAX_DEPTH), Visible.catalogue())
    checked = [check_stage(walker, stage) for stage in planned]
    check_workload(checked)
    checked = _cap_output(checked, max_limit)
    return GuardedPipeline(
        stages=(
            {"$match": scope.filter()},
            {"$project": catalogue_projection()},
            *({operator: argument} for operator, argument in checked),
        ),
        max_time_ms=max_time_ms,
        id_label=_id_label(checked),
    )


def _stage_list(pipeline: object) -> list[object]:
    if not isinstance(pipeline, list | tuple):
        raise refuse("a pipeline must be an array of stages")
    if not pipeline:
        raise refuse("an empty pipeline answers nothing")
    if len(pipeline) > MAX_STAGES:
        raise refuse(f"more than {MAX_STAGES} stages")
    return list(pipeline)


def _cap_output(checked: list[tuple[str, Any]], max_limit: int) -> list[tuple[str, Any]]:
    # Only the final $limit bounds the answer; an earlier one ("my last 100 matches") changes
    # what is computed, so clamping it would silently answer another question.
    if checked[-1][0] == "$limit":
        return [*checked[:-1], ("$limit", min(checked[-1][1], max_limit))]
    return [*checked, ("$limit", max_limit)]


def _id_label(checked: list[tuple[str, Any]]) -> str:
    label = GROUP_LABEL
    for operator, argument in checked:
        if operator == "$group":
            label = _label_of(argument["_id"])
        elif operator == "$sortByCount":
            label = _label_of(argument)
    return label


def _label_of(key: object) -> str:
    if isinstance(key, str) and key.startswith("$") and not key.startswith("$$"):
        return key[1:].rsplit(".", 1)[-1]
    return GROUP_LABEL
