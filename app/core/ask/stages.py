"""One rule per allowed stage: check its argument, return a clean copy, track visible fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.core.ask.expressions import Visible, Walker, name, names, refuse, scalar
from app.core.ask.operators import ACCUMULATORS

StageRule = Callable[[Walker, object], Any]

# Depth of a stage's argument: the stage object itself is depth 0.
_ARG = 1


def check_stage(walker: Walker, stage: object) -> tuple[str, Any]:
    """The stage's operator and its checked argument; refuses any stage not in the allowlist."""
    walker.budget.spend(0)
    spec = walker.mapping(stage, "a stage")
    if len(spec) != 1:
        raise refuse("a stage must have exactly one operator")
    operator, argument = next(iter(spec.items()))
    rule = RULES.get(operator)
    if rule is None:
        raise refuse(f"stage {operator[:40]}")
    return operator, rule(walker, argument)


def _match(walker: Walker, argument: object) -> Any:
    return walker.query(argument, _ARG)


def _group(walker: Walker, argument: object) -> Any:
    spec = walker.mapping(argument, "$group")
    if "_id" not in spec:
        raise refuse("$group needs an _id")
    checked = {"_id": walker.expression(spec["_id"], _ARG + 1)}
    for key, accumulator in spec.items():
        if key != "_id":
            checked[name(key)] = _accumulator(walker, accumulator)
    walker.visible = Visible(paths=frozenset(), computed=frozenset(checked))
    return checked


def _accumulator(walker: Walker, node: object) -> Any:
    walker.budget.spend(_ARG + 1)
    spec = walker.mapping(node, "an accumulator")
    if len(spec) != 1 or next(iter(spec)) not in ACCUMULATORS:
        raise refuse(f"accumulator {', '.join(spec)[:40]}")
    operator, argument = next(iter(spec.items()))
    return {operator: walker.expression(argument, _ARG + 2)}


def _sort(walker: Walker, argument: object) -> Any:
    spec = walker.mapping(argument, "$sort")
    if not spec:
        raise refuse("$sort needs a field")
    checked = {}
    for path, direction in spec.items():
        walker.budget.spend(_ARG + 1)
        walker.reference(path)
        if isinstance(direction, bool) or direction not in (1, -1):
            raise refuse("$sort directions are 1 or -1")
        checked[path] = int(direction)
    return checked


def _limit(walker: Walker, argument: object) -> Any:
    return _whole_number(argument, "$limit", minimum=1)


def _skip(walker: Walker, argument: object) -> Any:
    return _whole_number(argument, "$skip", minimum=0)


def _whole_number(value: object, what: str, *, minimum: int) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise refuse(f"{what} must be a whole number of at least {minimum}")
    return scalar(value)


def _project(walker: Walker, argument: object) -> Any:
    spec = walker.mapping(argument, "$project")
    if not spec:
        raise refuse("$project needs a field")
    checked: dict[str, Any] = {}
    kept: set[str] = set()
    computed: set[str] = set()
    for key, value in spec.items():
        name(key)
        if isinstance(value, bool | int | float):
            # A number in $project is an inclusion flag, not a value: 0 drops, anything keeps.
            walker.budget.spend(_ARG + 1)
            if value:
                if not walker.visible.contains(key):
                    raise refuse(f"unknown field {key}")
                kept.add(key)
            checked[key] = 1 if value else 0
        else:
            checked[key] = walker.expression(value, _ARG + 1)
            computed.add(key)
    if kept or computed:
        if any(not flag for key, flag in checked.items() if key != "_id" and key not in computed):
            raise refuse("$project mixes inclusion and exclusion")
        _keep_only(walker, kept, computed, id_dropped=checked.get("_id") == 0)
    return checked


def _keep_only(walker: Walker, kept: set[str], computed: set[str], *, id_dropped: bool) -> None:
    before = walker.visible
    carried = {name for name in before.computed if name in kept}
    if "_id" in before.computed and not id_dropped:
        carried.add("_id")  # an inclusion projection keeps _id unless told otherwise
    walker.visible = Visible(
        paths=frozenset(path for path in before.paths if path.split(".", 1)[0] in kept),
        computed=frozenset(carried | computed),
    )


def _add_fields(walker: Walker, argument: object) -> Any:
    spec = walker.mapping(argument, "$addFields")
    if not spec:
        raise refuse("$addFields needs a field")
    checked = {name(key): walker.expression(value, _ARG + 1) for key, value in spec.items()}
    walker.visible = Visible(walker.visible.paths, walker.visible.computed | names(checked))
    return checked


def _count(walker: Walker, argument: object) -> Any:
    if not isinstance(argument, str):
        raise refuse("$count needs a name")
    walker.visible = Visible(paths=frozenset(), computed=frozenset({name(argument)}))
    return argument


def _unwind(walker: Walker, argument: object) -> Any:
    if isinstance(argument, Mapping):
        spec = walker.mapping(argument, "$unwind")
        if "path" not in spec or set(spec) - {"path", "preserveNullAndEmptyArrays"}:
            raise refuse("$unwind takes a path and preserveNullAndEmptyArrays only")
        preserve = spec.get("preserveNullAndEmptyArrays", False)
        if not isinstance(preserve, bool):
            raise refuse("preserveNullAndEmptyArrays is true or false")
        return {"path": _unwound_path(walker, spec["path"]), "preserveNullAndEmptyArrays": preserve}
    return _unwound_path(walker, argument)


def _unwound_path(walker: Walker, path: object) -> str:
    walker.budget.spend(_ARG + 1)
    if not isinstance(path, str) or not path.startswith("$") or path.startswith("$$"):
        raise refuse("$unwind needs a field path")
    walker.reference(path[1:])
    return path


def _sort_by_count(walker: Walker, argument: object) -> Any:
    checked = walker.expression(argument, _ARG)
    walker.visible = Visible(paths=frozenset(), computed=frozenset({"_id", "count"}))
    return checked


RULES: Mapping[str, StageRule] = {
    "$match": _match,
    "$group": _group,
    "$sort": _sort,
    "$limit": _limit,
    "$skip": _skip,
    "$project": _project,
    "$addFields": _add_fields,
    "$set": _add_fields,
    "$count": _count,
    "$unwind": _unwind,
    "$sortByCount": _sort_by_count,
}
