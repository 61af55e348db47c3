"""Hypothesis strategies for /ask: pipelines the guard must accept, and ways to poison them."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

NUMBERS = [
    "stats.player.kills",
    "stats.player.deaths",
    "stats.player.assists",
    "stats.player.score",
    "stats.team_score",
    "stats.enemy_score",
]
LABELS = ["stats.map", "stats.result", "stats.player.mode", "user_id", "guild_id"]
ACCUMULATORS = ["$sum", "$avg", "$min", "$max", "$first", "$last", "$stdDevPop"]

# Everything below must be refused wherever it appears.
FORBIDDEN_STAGES = [
    {"$lookup": {"from": "users", "localField": "user_id", "foreignField": "_id", "as": "u"}},
    {"$graphLookup": {"from": "matches", "startWith": "$user_id", "connectFromField": "a",
                      "connectToField": "b", "as": "g"}},
    {"$unionWith": {"coll": "refresh_tokens"}},
    {"$unionWith": "matches"},
    {"$facet": {"all": [{"$match": {}}]}},
    {"$out": "stolen"},
    {"$merge": {"into": "matches"}},
    {"$documents": [{"a": 1}]},
    {"$collStats": {}},
    {"$indexStats": {}},
    {"$currentOp": {}},
    {"$listSessions": {}},
    {"$planCacheStats": {}},
    {"$replaceRoot": {"newRoot": "$$ROOT"}},
    {"$replaceWith": "$stats"},
    {"$setWindowFields": {"output": {"x": {"$sum": 1}}}},
    {"$sample": {"size": 5}},
    {"$redact": "$$DESCEND"},
    {"$changeStream": {}},
    {"$densify": {"field": "played_at", "range": {"step": 1, "bounds": "full"}}},
    {"$geoNear": {"near": [0, 0], "distanceField": "d"}},
]  # fmt: skip
FORBIDDEN_OPERATORS = [
    "$where", "$function", "$accumulator", "$lookup", "$unionWith", "$facet", "$let", "$map",
    "$filter", "$reduce", "$getField", "$setField", "$objectToArray", "$literal", "$regex",
    "$regexMatch", "$text", "$jsonSchema", "$mergeObjects", "$push", "$addToSet", "$rand",
    "$sampleRate", "$range", "$zip", "$concatArrays", "$out", "$expr", "$comment",
]  # fmt: skip
FORBIDDEN_VARIABLES = [
    "$$ROOT", "$$CURRENT", "$$REMOVE", "$$DESCEND", "$$PRUNE", "$$KEEP", "$$CLUSTER_TIME",
    "$$USER_ROLES", "$$SEARCH_META", "$$this", "$$value", "$$x", "$$", "$$NOW.x", "$$now",
]  # fmt: skip
UNCATALOGUED_REFERENCES = [
    "$note", "$interaction_id", "$channel_id", "$screenshot_hashes", "$catalog_flags",
    "$created_at", "$updated_at", "$corrected", "$source", "$stats.mode",
    "$revision_id", "$stats", "$stats.player", "$", "$.", "$stats..map", "$stats.$where",
]  # fmt: skip


def references(paths: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(paths).map(lambda path: f"${path}")


def expressions(paths: list[str], depth: int = 2) -> st.SearchStrategy[Any]:
    """Numeric expressions over `paths`; `depth` bounds the nesting (each level adds two)."""
    leaves = st.one_of(references(paths), st.integers(-1000, 1000), st.sampled_from([0.5, 2.0]))
    if depth == 0:
        return leaves
    inner = expressions(paths, depth - 1)
    return st.one_of(
        leaves,
        st.builds(lambda op, a, b: {op: [a, b]}, st.sampled_from(["$add", "$subtract",
                  "$multiply", "$divide", "$max", "$min"]), inner, inner),
        st.builds(lambda a: {"$round": [a, 2]}, inner),
        st.builds(lambda a: {"$ifNull": [a, 0]}, inner),
        st.builds(lambda c, a, b: {"$cond": [c, a, b]}, inner, inner, inner),
    )  # fmt: skip


def filters(paths: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    number_paths = [p for p in paths if p in NUMBERS]
    return st.one_of(
        st.builds(lambda p, n: {p: {"$gte": n}}, st.sampled_from(number_paths), st.integers(0, 50)),
        st.builds(lambda m: {"stats.map": m}, st.sampled_from(["Den", "Scar"])),
        st.builds(lambda g: {"$or": [{"guild_id": g}, {"user_id": {"$in": [g, 1]}}]},
                  st.integers(1, 10**6)),
        st.builds(lambda a, b: {"$expr": {"$gt": [a, b]}}, expressions(number_paths, 1),
                  expressions(number_paths, 1)),
        st.just({"played_at": {"$gte": {"$date": "2026-10-01"}, "$lt": {"$date": "2027-01-01"}}}),
        st.just({"stats.weapons": {"$elemMatch": {"name": "M15 Mod 0", "kills": {"$gte": 3}}}}),
        st.just({"stats.result": {"$in": ["win", "draw"]}, "stats.player.mode": {"$ne": "x"}}),
    )  # fmt: skip


@st.composite
def document_stages(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Stages that keep match documents (filters, sorts, new fields)."""
    numbers = list(NUMBERS)
    stages: list[dict[str, Any]] = []
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["match", "add", "sort", "limit", "skip", "unwind"]))
        if kind == "match":
            stages.append({"$match": draw(filters(numbers))})
        elif kind == "add":
            name = f"x{index}"
            stages.append({"$addFields": {name: draw(expressions(numbers))}})
            numbers.append(name)
        elif kind == "sort":
            path = draw(st.sampled_from([*numbers, "played_at"]))
            stages.append({"$sort": {path: draw(st.sampled_from([1, -1]))}})
        elif kind == "limit":
            stages.append({"$limit": draw(st.integers(1, 500))})
        elif kind == "skip":
            stages.append({"$skip": draw(st.integers(0, 5))})
        else:
            stages.append({"$unwind": "$stats.weapons"})
    return stages


@st.composite
def result_stages(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Stages that turn match documents into an answer."""
    kind = draw(st.sampled_from(["group", "count", "by count", "list"]))
    if kind == "count":
        return [{"$count": "matches"}]
    if kind == "by count":
        return [{"$sortByCount": draw(references(LABELS))}]
    if kind == "list":
        return [{"$project": {"_id": 0, "map": "$stats.map", "kills": "$stats.player.kills"}}]
    key = draw(st.one_of(st.none(), references(LABELS), st.just({"map": "$stats.map",
               "mode": "$stats.player.mode"})))  # fmt: skip
    accumulator = draw(st.sampled_from(ACCUMULATORS))
    stages: list[dict[str, Any]] = [
        {"$group": {"_id": key, "value": {accumulator: draw(expressions(NUMBERS, 1))},
                    "matches": {"$sum": 1}}},
        {"$sort": {"value": -1, "_id": 1}},
    ]  # fmt: skip
    if draw(st.booleans()):
        stages.append({"$addFields": {"share": {"$divide": ["$value", {"$max": ["$matches", 1]}]}}})
    return stages


@st.composite
def pipelines(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Realistic pipelines within every guard limit: the guard must accept each one."""
    stages = draw(document_stages()) + draw(result_stages())
    if draw(st.booleans()):
        stages.append({"$limit": draw(st.integers(1, 1000))})
    return stages


def forbidden_fragments() -> st.SearchStrategy[Any]:
    """Something the guard must refuse, possibly wrapped in allowed operators."""
    base = st.one_of(
        st.sampled_from(FORBIDDEN_VARIABLES),
        st.sampled_from(UNCATALOGUED_REFERENCES),
        st.builds(lambda op: {op: "sleep(10000) || true"}, st.sampled_from(FORBIDDEN_OPERATORS)),
        st.builds(lambda op: {op: {"body": "function() {}", "args": [], "lang": "js"}},
                  st.sampled_from(FORBIDDEN_OPERATORS)),
    )  # fmt: skip
    return st.recursive(
        base,
        lambda inner: st.one_of(
            st.builds(lambda x: {"$add": [1, x]}, inner),
            st.builds(lambda x: {"$cond": [True, x, 0]}, inner),
            st.builds(lambda x: {"$toLower": x}, inner),
            st.builds(lambda x: {"$and": [{"$gt": [1, 0]}, x]}, inner),
        ),
        max_leaves=3,
    )


def slots(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path to every value inside a pipeline (dict keys and list indexes)."""
    found: list[tuple[Any, ...]] = []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else ()  # fmt: skip
    for key, child in children:
        found.append((*path, key))
        found.extend(slots(child, (*path, key)))
    return found


def containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path to every object inside a pipeline, the stages included."""
    found = [path] if isinstance(node, dict) else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else ()  # fmt: skip
    for key, child in children:
        found.extend(containers(child, (*path, key)))
    return found


def at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


@st.composite
def poisoned_pipelines(draw: st.DrawFn) -> list[Any]:
    """A valid pipeline with one forbidden thing put somewhere inside it, at any depth."""
    pipeline: list[Any] = copy.deepcopy(draw(pipelines()))
    how = draw(st.sampled_from(["replace a value", "add an operator key", "insert a stage"]))
    if how == "insert a stage":
        index = draw(st.integers(0, len(pipeline)))
        pipeline.insert(index, copy.deepcopy(draw(st.sampled_from(FORBIDDEN_STAGES))))
    elif how == "add an operator key":
        # Inside a stage: a stage with two operators is the easy case, covered by the tests.
        inner = [path for path in containers(pipeline) if len(path) > 1] or containers(pipeline)
        target = at(pipeline, draw(st.sampled_from(inner)))
        target[draw(st.sampled_from(FORBIDDEN_OPERATORS))] = draw(forbidden_fragments())
    else:
        inner = [path for path in slots(pipeline) if len(path) > 1]
        *parent, key = draw(st.sampled_from(inner))
        at(pipeline, tuple(parent))[key] = draw(forbidden_fragments())
    return pipeline
