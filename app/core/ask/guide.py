"""The guard's rules in words, for the planner's prompt, built from the allowlists themselves
so the prompt can never promise what the guard refuses."""

from __future__ import annotations

from collections.abc import Iterable

from app.core.ask.guard import DEFAULT_MAX_LIMIT, MAX_STAGES
from app.core.ask.operators import (
    ACCUMULATORS,
    DATE_LITERAL,
    EXPRESSION_OPERATORS,
    QUERY_LOGIC,
    QUERY_OPERATORS,
    STAGES,
    SYSTEM_VARIABLES,
)
from app.core.ask.workload import MAX_FAN_OUT, MAX_VALUE_BYTES


def planner_guide() -> str:
    """How to write a pipeline the guard accepts; the field catalogue is given separately."""
    return "\n".join(
        [
            "Answer with a MongoDB aggregation pipeline (a JSON array of stages) over the "
            "matches the question may see; the server or player scope is added for you.",
            f"Stages (at most {MAX_STAGES}): {_listed(STAGES)}.",
            f"In $match: field conditions with {_listed(QUERY_OPERATORS)}; "
            f"{_listed(QUERY_LOGIC)}; and $expr with expressions.",
            f"Expression operators: {_listed(EXPRESSION_OPERATORS)}.",
            f"$group accumulators: {_listed(ACCUMULATORS)}.",
            f'Dates: {{"{DATE_LITERAL}": "2026-11-01"}} for a day or time (UTC), '
            f"{_listed(SYSTEM_VARIABLES)} for the current time; no other $$ variables.",
            "Read only the listed fields. Name new fields with letters, digits and _ only.",
            f"Keep what you build small: no value over {MAX_VALUE_BYTES // 1024} KB, and "
            f"$unwind at most {MAX_FAN_OUT} documents out of one match.",
            f"At most {DEFAULT_MAX_LIMIT} rows are returned; sort so the best answer comes first.",
        ]
    )


def _listed(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))
