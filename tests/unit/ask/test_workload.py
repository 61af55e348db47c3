"""The guard bounds what a pipeline can build, not only its shape (issue 9).

Each plan here passes every shape rule (allowlisted stages and operators, catalogued fields,
node and depth limits) and still could make the database build gigabytes; the size bounds of
`workload` must refuse it. The realistic plans of test_guard.py stay accepted.
"""

from __future__ import annotations

from typing import Any

import bson
import pytest

from app.core.ask.bounds import SIZED_OPERATORS, catalogue_document, catalogue_field
from app.core.ask.errors import PipelineRefused
from app.core.ask.expressions import Budget, Visible, Walker
from app.core.ask.fields import ARRAY_LENGTHS, FIELD_BYTES, FIELDS, catalogue_projection
from app.core.ask.guard import MAX_DEPTH, MAX_NODES, Scope, guard_pipeline
from app.core.ask.operators import EXPRESSION_OPERATORS
from app.core.ask.stages import check_stage
from app.core.ask.workload import (
    MAX_DOCUMENT_BYTES,
    MAX_FAN_OUT,
    MAX_VALUE_BYTES,
    MAX_WORK_PER_MATCH,
    check_workload,
)
from app.core.game.modes import MatchStats
from app.core.game.players import MAX_WEAPONS, NAME_MAX_LENGTH
from tests.support.factories import match_fields, raw_hardpoint
from tests.unit.ask.test_guard import REALISTIC

SERVER = Scope(111)


def doubling(start: object, times: int = 7) -> list[dict[str, Any]]:
    """The issue's plan: a string, then `times` $set stages that each double it."""
    return [
        {"$set": {"a": start}},
        *({"$set": {"a": {"$concat": ["$a", "$a"]}}} for _ in range(times)),
    ]


def work_of(pipeline: list[dict[str, Any]]) -> int:
    walker = Walker(Budget(max_nodes=MAX_NODES, max_depth=MAX_DEPTH), Visible.catalogue())
    return check_workload([check_stage(walker, stage) for stage in pipeline])


def refused_rule(pipeline: list[dict[str, Any]]) -> str:
    with pytest.raises(PipelineRefused) as raised:
        guard_pipeline(pipeline, SERVER)
    return raised.value.rule


@pytest.mark.parametrize(
    "start", ["$stats.map", "$stats.player.gamertag", {"$toString": "$played_at"},
              {"$toString": "$stats.player.kills"}, {"$toUpper": "$stats.result"}],
)  # fmt: skip
def test_the_seven_doubling_sets_of_the_issue_are_refused(start: object) -> None:
    assert "value may grow" in refused_rule(doubling(start))


def test_the_doubling_plan_passes_every_shape_rule_so_only_the_size_bound_refuses_it() -> None:
    walker = Walker(Budget(max_nodes=MAX_NODES, max_depth=MAX_DEPTH), Visible.catalogue())

    checked = [check_stage(walker, stage) for stage in doubling("$stats.map")]

    assert len(checked) == 8


def test_a_few_doublings_of_a_short_value_stay_allowed() -> None:
    guard_pipeline(doubling({"$toString": "$stats.player.kills"}, times=2), SERVER)


@pytest.mark.parametrize(
    "pipeline",
    [
        # One $concat of fifty references, and nested ones.
        [{"$set": {"a": {"$concat": ["$stats.map"] * 50}}}],
        [{"$set": {"a": {"$concat": [{"$concat": ["$stats.map"] * 8}] * 8}}}],
        # $toString and case changes of big things.
        [{"$set": {"a": {"$toString": "$stats.weapons"}}}],
        [{"$set": {"a": {"$toUpper": "$stats.weapons.name"}}}],
        [{"$set": {"a": {"$dateToString": {"date": "$played_at",
                                           "format": {"$concat": ["$stats.map"] * 2}}}}}],
        # Literal arrays of literal arrays.
        [{"$set": {"a": [["x" * 100] * 50] * 2}}],
        [{"$set": {"a": ["$stats.weapons", "$stats.weapons"]}}],
        # A grown value hidden in a branch, an $ifNull, a $max or a $group key.
        [{"$set": {"a": {"$cond": [True, {"$concat": ["$stats.map"] * 20}, ""]}}}],
        [{"$set": {"a": {"$ifNull": [None, {"$concat": ["$stats.map"] * 20}]}}}],
        [{"$set": {"a": {"$max": [1, {"$concat": ["$stats.map"] * 20}]}}}],
        [{"$group": {"_id": {"$concat": ["$stats.map"] * 20}}}],
        [{"$group": {"_id": None, "a": {"$max": {"$concat": ["$stats.map"] * 20}}}}],
        # Built, then shrunk to a number: still built.
        [{"$set": {"n": {"$size": [{"$concat": ["$stats.map"] * 20}]}}}],
        [{"$match": {"$expr": {"$eq": [{"$concat": ["$stats.map"] * 20}, "x"]}}}],
    ],
)  # fmt: skip
def test_values_that_may_grow_past_the_cap_are_refused(pipeline: list[dict[str, Any]]) -> None:
    assert "value may grow" in refused_rule(pipeline)


def test_many_fields_each_under_the_cap_cannot_make_a_huge_document() -> None:
    wide = {f"w{i}": "$stats.weapons" for i in range(6)}

    assert "document may grow" in refused_rule([{"$project": wide}])


@pytest.mark.parametrize(
    "pipeline",
    [
        [{"$project": {"_id": 0, "kills": "$stats.player.kills"}},
         {"$set": {"a": list(range(20))}}, {"$unwind": "$a"},
         {"$set": {"b": list(range(20))}}, {"$unwind": "$b"}],
        [{"$project": {"a": "$stats.weapons.kills", "b": "$stats.weapons.kills",
                       "c": "$stats.weapons.kills"}},
         {"$unwind": "$a"}, {"$unwind": "$b"}, {"$unwind": "$c"}],
    ],
)  # fmt: skip
def test_unwind_fan_out_is_capped(pipeline: list[dict[str, Any]]) -> None:
    assert str(MAX_FAN_OUT) in refused_rule(pipeline)


def test_unwinding_copies_of_big_documents_is_too_much_work() -> None:
    grown = {f"s{i}": {"$concat": ["$stats.map"] * 10} for i in range(3)}

    rule = refused_rule(
        [{"$set": grown}, {"$set": {"n": list(range(40))}}, {"$unwind": "$n"}, {"$sort": {"n": 1}}]
    )

    assert "work per match" in rule


def test_unwinding_the_weapons_narrows_them_to_one_weapon() -> None:
    # Unwinding again finds no array left: the fan-out stays at one match's weapons.
    guard_pipeline([{"$unwind": "$stats.weapons"}] * 5, SERVER)


@pytest.mark.parametrize("pipeline", REALISTIC)
def test_realistic_plans_cost_a_fraction_of_the_budget(pipeline: list[dict[str, Any]]) -> None:
    assert work_of(pipeline) <= MAX_WORK_PER_MATCH // 4


def test_every_allowed_expression_operator_has_a_size_rule() -> None:
    assert SIZED_OPERATORS == EXPRESSION_OPERATORS


def test_every_catalogued_field_has_a_known_size() -> None:
    assert set(FIELD_BYTES) | set(ARRAY_LENGTHS) == set(FIELDS)


def largest_possible_match() -> dict[str, Any]:
    """A stored match as big as validation allows, projected as the guard's first stages do."""
    widest = "\U0001f600" * NAME_MAX_LENGTH  # 4 UTF-8 bytes a character
    raw = raw_hardpoint(gamertag=widest, score=30000, kills=90, deaths=120, assists=120)
    raw["map"] = widest
    raw["weapons"] = [
        {"name": widest, "kills": 9, "headshots": 9, "accuracy": 99.5} for _ in range(MAX_WEAPONS)
    ]
    stored = match_fields(stats=MatchStats.model_validate(raw)).model_dump(mode="python")
    projection = catalogue_projection()
    return {
        key: value
        for key, value in stored.items()
        if key in {path.split(".", 1)[0] for path in projection if projection[path]}
    }


def test_the_catalogue_bounds_hold_for_the_largest_match_validation_allows() -> None:
    match = largest_possible_match()

    bound = catalogue_document(frozenset(match), frozenset())

    assert len(bson.encode(match)) <= bound.size
    assert (
        len(bson.encode({"v": match["stats"]["weapons"]}))
        <= catalogue_field("stats.weapons", frozenset()).size + 8
    )


def test_the_caps_leave_room_for_the_catalogue() -> None:
    assert catalogue_field("stats.weapons", frozenset()).size <= MAX_VALUE_BYTES
    whole = catalogue_document(
        frozenset({"played_at", "guild_id", "user_id", "stats"}), frozenset()
    )
    assert whole.size <= MAX_DOCUMENT_BYTES // 2
