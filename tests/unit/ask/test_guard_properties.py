"""Properties of the /ask guard, over generated pipelines.

(a) a forbidden stage, operator, variable or field put anywhere inside a valid pipeline, at any
    depth, is always refused;
(b) every accepted pipeline starts with exactly the forced scope, then the catalogue
    projection, and contains nothing outside the allowlists, so no later stage can bring in
    documents from another server or player (that is also run for real in
    tests/integration/test_ask_runner.py);
(c) every accepted pipeline ends with a $limit no larger than the maximum.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.ask.errors import PipelineRefused
from app.core.ask.fields import catalogue_projection
from app.core.ask.guard import GuardedPipeline, Scope, guard_pipeline
from app.core.ask.operators import (
    ACCUMULATORS,
    DATE_LITERAL,
    EXPRESSION_OPERATORS,
    QUERY_LOGIC,
    QUERY_OPERATORS,
    STAGES,
    SYSTEM_VARIABLES,
)
from tests.unit.ask.strategies import pipelines, poisoned_pipelines

# Stages that read other collections, run sub-pipelines or write: the ways to add documents.
DOCUMENT_SOURCES = {
    "$lookup", "$graphLookup", "$unionWith", "$facet", "$documents", "$out", "$merge",
    "$changeStream", "$collStats", "$indexStats", "$currentOp",
}  # fmt: skip
ALLOWED_KEYS = (
    STAGES | QUERY_OPERATORS | QUERY_LOGIC | ACCUMULATORS | EXPRESSION_OPERATORS | {"$expr"}
)

scopes = st.builds(Scope, st.integers(1, 2**62), st.one_of(st.none(), st.integers(1, 2**62)))


def dollar_keys_and_variables(node: Any) -> tuple[set[str], set[str]]:
    keys: set[str] = set()
    variables: set[str] = set()
    if isinstance(node, dict):
        for key, child in node.items():
            if key.startswith("$"):
                keys.add(key)
            child_keys, child_variables = dollar_keys_and_variables(child)
            keys |= child_keys
            variables |= child_variables
    elif isinstance(node, list | tuple):
        for child in node:
            child_keys, child_variables = dollar_keys_and_variables(child)
            keys |= child_keys
            variables |= child_variables
    elif isinstance(node, str) and node.startswith("$$"):
        variables.add(node)
    return keys, variables


def assert_scoped_and_capped(guarded: GuardedPipeline, scope: Scope, max_limit: int) -> None:
    stages = guarded.stages
    assert stages[0] == {"$match": scope.filter()}
    assert stages[1] == {"$project": catalogue_projection()}
    assert all(len(stage) == 1 for stage in stages)
    operators = {next(iter(stage)) for stage in stages}
    assert operators <= STAGES
    assert not STAGES & DOCUMENT_SOURCES
    keys, variables = dollar_keys_and_variables(list(stages[2:]))
    assert keys <= ALLOWED_KEYS, keys - ALLOWED_KEYS
    assert DATE_LITERAL not in keys  # converted to datetimes, never passed on
    assert variables <= SYSTEM_VARIABLES
    last = stages[-1]
    assert list(last) == ["$limit"]
    assert 1 <= last["$limit"] <= max_limit


@given(pipelines(), scopes, st.integers(1, 100))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_realistic_pipelines_are_accepted_scoped_and_capped(
    pipeline: list[Any], scope: Scope, max_limit: int
) -> None:
    guarded = guard_pipeline(pipeline, scope, max_limit=max_limit)

    assert_scoped_and_capped(guarded, scope, max_limit)


@given(poisoned_pipelines(), scopes)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_a_forbidden_thing_anywhere_is_refused(pipeline: list[Any], scope: Scope) -> None:
    try:
        guard_pipeline(pipeline, scope)
    except PipelineRefused:
        return
    raise AssertionError(f"accepted a poisoned pipeline: {pipeline!r}")


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=12),
        st.sampled_from(["$stats.player.kills", "$$ROOT", "$$NOW", "$note", "$", "$$"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=8), st.sampled_from(sorted(ALLOWED_KEYS | {"$where"}))),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=20,
)


@given(st.lists(st.dictionaries(st.sampled_from(sorted(STAGES)), json_values, min_size=1,
                                max_size=1), max_size=4) | json_values, scopes)  # fmt: skip
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_input_is_either_refused_or_scoped_and_capped(
    pipeline: Any, scope: Scope
) -> None:
    try:
        guarded = guard_pipeline(pipeline, scope, max_limit=50)
    except PipelineRefused:
        return
    assert_scoped_and_capped(guarded, scope, 50)
