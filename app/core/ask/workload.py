"""How much a checked /ask pipeline can build and how much work it can make the database do.

The guard's allowlists bound a pipeline's shape, not what it computes: seven $set stages that
each double a string pass every shape rule and still fill the server's memory. So the checked
stages are followed through with upper bounds (see `bounds`): for every document between two
stages, the fields it may hold and their sizes, and how many documents each scoped match may
have become ($unwind multiplies them). A pipeline is refused when

- any value it computes may be larger than MAX_VALUE_BYTES,
- any document between two stages may be larger than MAX_DOCUMENT_BYTES,
- one match may turn into more than MAX_FAN_OUT documents, or
- the bytes read, built and held for one match, over all stages, may exceed
  MAX_WORK_PER_MATCH.

The number of matches in scope is not known here, so work is counted per scoped match: an
accepted pipeline costs at most a fixed multiple of reading the scope once, which the
time limit (maxTimeMS) and the scope's indexes already have to bear.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.core.ask.bounds import (
    SCALAR,
    Bound,
    Sizer,
    accumulated,
    catalogue_document,
    catalogue_field,
    document,
)
from app.core.ask.errors import PipelineRefused
from app.core.ask.fields import ARRAY_LENGTHS, FIELDS

MAX_VALUE_BYTES = 4 * 1024
MAX_DOCUMENT_BYTES = 16 * 1024
MAX_FAN_OUT = 100
MAX_WORK_PER_MATCH = 256 * 1024


@dataclass(frozen=True, slots=True)
class Shape:
    """What may be in each document between two stages, and how many per scoped match."""

    paths: frozenset[str]
    unwound: frozenset[str] = frozenset()
    computed: Mapping[str, Bound] = field(default_factory=dict)
    per_match: int = 1

    @classmethod
    def catalogue(cls) -> Shape:
        return cls(paths=frozenset(FIELDS))

    def field(self, path: str) -> Bound:
        root = path.split(".", 1)[0]
        if root in self.computed:
            # A part of a computed value is never larger than the whole of it.
            found = self.computed[root]
            return found.widest(self._catalogued(path)) if path in self.paths else found
        if path in self.paths:
            return self._catalogued(path)
        return self.document()  # gone from the documents: nothing, but bound it safely

    def document(self) -> Bound:
        roots = frozenset(path.split(".", 1)[0] for path in self.paths)
        catalogued = catalogue_document(roots, self.unwound)
        computed = document(dict(self.computed))
        return Bound(catalogued.size + computed.size, max(catalogued.items, computed.items))

    def _catalogued(self, path: str) -> Bound:
        return catalogue_field(path, self.unwound)


@dataclass(slots=True)
class Workload:
    """Follows the checked stages, adding up the work each does for one scoped match."""

    shape: Shape = field(default_factory=Shape.catalogue)
    work: int = 0

    def follow(self, operator: str, argument: Any) -> None:
        effect = _EFFECTS.get(operator)
        if effect is None:
            raise PipelineRefused(f"no workload rule for {operator}")
        reading = self.shape.document()
        self.charge(self.shape.per_match, reading.size)
        effect(self, argument)
        held = self.shape.document()
        if held.size > MAX_DOCUMENT_BYTES:
            raise PipelineRefused(f"a document may grow past {MAX_DOCUMENT_BYTES} bytes")
        self.charge(self.shape.per_match, held.size)

    def sizer(self) -> Sizer:
        return Sizer(self.shape.field, MAX_VALUE_BYTES)

    def bound(self, expression: object) -> Bound:
        sizer = self.sizer()
        result = sizer.bound(expression)
        self.charge(self.shape.per_match, sizer.work)
        return result

    def charge(self, documents: int, size: int) -> None:
        self.work += documents * size
        if self.work > MAX_WORK_PER_MATCH:
            raise PipelineRefused(f"more than {MAX_WORK_PER_MATCH} bytes of work per match")


def check_workload(stages: list[tuple[str, Any]]) -> int:
    """Refuse the checked stages if they may build or do too much; return the work per match."""
    workload = Workload()
    for operator, argument in stages:
        workload.follow(operator, argument)
    return workload.work


def _match(workload: Workload, argument: Any) -> None:
    _query(workload, argument, prefix="")


def _query(workload: Workload, query: Mapping[str, Any], prefix: str) -> None:
    for key, value in query.items():
        if key in {"$and", "$or", "$nor"}:
            for clause in value:
                _query(workload, clause, prefix)
        elif key == "$expr":
            workload.bound(value)
        else:
            # Comparing a field with a constant reads the field once per value compared.
            compared = workload.shape.field(prefix + key)
            workload.charge(workload.shape.per_match, compared.size * _operands(value))
            if isinstance(value, Mapping) and isinstance(value.get("$elemMatch"), Mapping):
                _query(workload, value["$elemMatch"], f"{prefix}{key}.")


def _operands(value: object) -> int:
    if isinstance(value, Mapping):
        return sum(_operands(item) for item in value.values()) or 1
    if isinstance(value, list | tuple):
        return sum(_operands(item) for item in value) or 1
    return 1


def _add_fields(workload: Workload, argument: Mapping[str, Any]) -> None:
    added = {key: workload.bound(value) for key, value in argument.items()}
    shape = workload.shape
    workload.shape = replace(shape, computed={**shape.computed, **added})


def _project(workload: Workload, argument: Mapping[str, Any]) -> None:
    shape = workload.shape
    flags = {key: value for key, value in argument.items() if _is_flag(value)}
    computed = {key: workload.bound(value) for key, value in argument.items() if key not in flags}
    kept = {key for key, flag in flags.items() if flag}
    if not kept and not computed:
        dropped = set(flags)
        workload.shape = replace(
            shape,
            paths=frozenset(p for p in shape.paths if p.split(".", 1)[0] not in dropped),
            computed={k: v for k, v in shape.computed.items() if k not in dropped},
        )
        return
    if flags.get("_id", 1):
        kept.add("_id")  # an inclusion projection keeps _id unless told otherwise
    workload.shape = replace(
        shape,
        paths=frozenset(p for p in shape.paths if p.split(".", 1)[0] in kept),
        computed={**{k: v for k, v in shape.computed.items() if k in kept}, **computed},
    )


def _is_flag(value: object) -> bool:
    # The walker turns every number or boolean of a $project into the flag 0 or 1.
    return isinstance(value, int) and not isinstance(value, bool)


def _group(workload: Workload, argument: Mapping[str, Any]) -> None:
    output = {"_id": workload.bound(argument["_id"])}
    for key, spec in argument.items():
        if key != "_id":
            ((operator, expression),) = spec.items()
            output[key] = accumulated(operator, workload.bound(expression))
    _regroup(workload, output)


def _sort_by_count(workload: Workload, argument: Any) -> None:
    _regroup(workload, {"_id": workload.bound(argument), "count": SCALAR})


def _count(workload: Workload, argument: str) -> None:
    _regroup(workload, {argument: SCALAR}, per_match=1)


def _regroup(workload: Workload, output: dict[str, Bound], per_match: int | None = None) -> None:
    # At most one group per document read (and one count however many were read).
    workload.shape = Shape(
        paths=frozenset(),
        computed=output,
        per_match=per_match or workload.shape.per_match,
    )


def _unwind(workload: Workload, argument: Any) -> None:
    path = (argument["path"] if isinstance(argument, Mapping) else argument)[1:]
    shape = workload.shape
    fan_out = shape.per_match * max(1, shape.field(path).items)
    if fan_out > MAX_FAN_OUT:
        raise PipelineRefused(f"$unwind may make more than {MAX_FAN_OUT} documents of a match")
    unwound = shape.unwound | ({path} if path in ARRAY_LENGTHS and path in shape.paths else set())
    # Each copy holds one element of the array instead of all of it: never more than before.
    workload.shape = replace(shape, unwound=frozenset(unwound), per_match=fan_out)


def _nothing(workload: Workload, argument: Any) -> None:
    """$sort, $limit and $skip keep the documents as they are (a $sort holds them all)."""


Effect = Callable[[Workload, Any], None]

_EFFECTS: Mapping[str, Effect] = {
    "$match": _match,
    "$group": _group,
    "$sort": _nothing,
    "$limit": _nothing,
    "$skip": _nothing,
    "$project": _project,
    "$addFields": _add_fields,
    "$set": _add_fields,
    "$count": _count,
    "$unwind": _unwind,
    "$sortByCount": _sort_by_count,
}
