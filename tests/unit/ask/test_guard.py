"""The /ask guard on examples: what a planner realistically writes, and known escapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.core.ask.errors import PipelineRefused
from app.core.ask.fields import FIELDS, catalogue_projection
from app.core.ask.guard import MAX_STAGES, Scope, guard_pipeline
from app.core.ask.guide import planner_guide
from app.core.ask.operators import ACCUMULATORS, EXPRESSION_OPERATORS, STAGES
from app.core.ask.stages import RULES
from app.core.errors import RefusedQuestion
from tests.unit.ask.strategies import FORBIDDEN_STAGES, FORBIDDEN_VARIABLES

GUILD, USER = 111, 333
SERVER, ME = Scope(GUILD), Scope(GUILD, USER)

KD_PER_PLAYER = [
    {"$group": {"_id": "$user_id", "kills": {"$sum": "$stats.player.kills"},
                "deaths": {"$sum": "$stats.player.deaths"}, "matches": {"$sum": 1}}},
    {"$addFields": {"kd": {"$round": [{"$divide": ["$kills", {"$max": ["$deaths", 1]}]}, 2]}}},
    {"$sort": {"kd": -1}},
    {"$limit": 10},
]  # fmt: skip
WINS_BY_MAP = [
    {"$match": {"stats.player.mode": "hardpoint"}},
    {"$group": {"_id": "$stats.map",
                "wins": {"$sum": {"$cond": [{"$eq": ["$stats.result", "win"]}, 1, 0]}},
                "played": {"$sum": 1}}},
    {"$project": {"_id": 0, "map": "$_id", "wins": 1, "played": 1}},
    {"$sort": {"wins": -1, "map": 1}},
]  # fmt: skip
BEST_SCORE = [
    {"$sort": {"stats.player.score": -1}},
    {"$skip": 0},
    {"$limit": 1},
    {"$project": {"played_at": 1, "score": "$stats.player.score", "map": "$stats.map"}},
]
WEAPON_KILLS_THIS_MONTH = [
    {"$match": {"$expr": {"$gte": ["$played_at",
                                   {"$dateTrunc": {"date": "$$NOW", "unit": "month"}}]}}},
    {"$unwind": "$stats.weapons"},
    {"$group": {"_id": "$stats.weapons.name", "kills": {"$sum": "$stats.weapons.kills"},
                "accuracy": {"$avg": {"$ifNull": ["$stats.weapons.accuracy", None]}}}},
    {"$sort": {"kills": -1}},
]  # fmt: skip
MATCHES_PER_WEEK = [
    {"$match": {"played_at": {"$gte": {"$date": "2026-10-01"}}}},
    {"$group": {"_id": {"week": {"$dateToString": {"format": "%G-W%V", "date": "$played_at"}}},
                "matches": {"$count": {}}}},
    {"$sort": {"_id.week": 1}},
]  # fmt: skip
REALISTIC = [KD_PER_PLAYER, WINS_BY_MAP, BEST_SCORE, WEAPON_KILLS_THIS_MONTH, MATCHES_PER_WEEK]


def refused(pipeline: Any, scope: Scope = SERVER) -> str:
    with pytest.raises(PipelineRefused) as raised:
        guard_pipeline(pipeline, scope)
    return raised.value.rule


@pytest.mark.parametrize("pipeline", REALISTIC)
def test_realistic_pipelines_are_scoped_first_and_kept_in_order(pipeline: list[Any]) -> None:
    guarded = guard_pipeline(pipeline, SERVER)

    assert guarded.stages[0] == {"$match": {"guild_id": GUILD}}
    assert guarded.stages[1] == {"$project": catalogue_projection()}
    model_stages = [next(iter(stage)) for stage in guarded.stages[2:]]
    assert model_stages[: len(pipeline)] == [next(iter(stage)) for stage in pipeline]
    assert guarded.max_time_ms == 2000


def test_the_me_scope_pins_the_player_too() -> None:
    guarded = guard_pipeline(BEST_SCORE, ME)

    assert guarded.stages[0] == {"$match": {"guild_id": GUILD, "user_id": USER}}


def test_the_models_own_match_is_a_later_stage_never_merged_into_the_scope() -> None:
    widen = [{"$match": {"$or": [{"guild_id": 999}, {"user_id": 42}]}}]

    guarded = guard_pipeline(widen, ME)

    assert guarded.stages[0] == {"$match": {"guild_id": GUILD, "user_id": USER}}
    assert guarded.stages[2] == widen[0]


def test_the_projection_keeps_only_catalogued_fields() -> None:
    projection = catalogue_projection()

    assert projection["_id"] == 0
    assert {"note", "interaction_id", "channel_id", "screenshot_hashes"}.isdisjoint(projection)
    assert set(projection) - {"_id"} == set(FIELDS) - {"stats.weapons"}


def test_a_limit_is_appended_when_the_plan_has_none() -> None:
    guarded = guard_pipeline(WINS_BY_MAP, SERVER, max_limit=25)

    assert guarded.stages[-1] == {"$limit": 25}


def test_the_final_limit_is_clamped_but_an_earlier_one_keeps_its_meaning() -> None:
    last_100_then_top = [
        {"$sort": {"played_at": -1}},
        {"$limit": 100},
        {"$group": {"_id": "$stats.map", "kills": {"$avg": "$stats.player.kills"}}},
        {"$limit": 500},
    ]

    guarded = guard_pipeline(last_100_then_top, SERVER, max_limit=50)

    assert guarded.stages[3] == {"$limit": 100}
    assert guarded.stages[-1] == {"$limit": 50}


def test_date_literals_become_aware_datetimes() -> None:
    guarded = guard_pipeline([{"$match": {"played_at": {"$gte": {"$date": "2026-11-01"}}}}], SERVER)

    assert guarded.stages[2] == {
        "$match": {"played_at": {"$gte": datetime(2026, 11, 1, tzinfo=UTC)}}
    }


@pytest.mark.parametrize("value", ["yesterday", 20261101, "2026-13-01", "9" * 50])
def test_a_malformed_date_literal_is_refused(value: object) -> None:
    refused([{"$match": {"played_at": {"$gte": {"$date": value}}}}])


def test_the_guard_returns_its_own_copy() -> None:
    pipeline = [{"$match": {"stats.map": "Den"}}]

    guarded = guard_pipeline(pipeline, SERVER)
    pipeline[0]["$match"]["guild_id"] = 999
    pipeline[0]["$where"] = "true"

    assert guarded.stages[2] == {"$match": {"stats.map": "Den"}}


@pytest.mark.parametrize(
    ("pipeline", "label"),
    [
        (KD_PER_PLAYER, "user_id"),
        (WEAPON_KILLS_THIS_MONTH, "name"),
        (MATCHES_PER_WEEK, "group"),
        ([{"$sortByCount": "$stats.map"}], "map"),
        ([{"$count": "matches"}], "group"),
    ],
)
def test_the_id_label_names_the_grouping_field(pipeline: list[Any], label: str) -> None:
    assert guard_pipeline(pipeline, SERVER).id_label == label


def test_every_allowed_stage_has_exactly_one_rule() -> None:
    assert set(RULES) == STAGES


def test_refusals_are_refused_questions_for_the_user() -> None:
    with pytest.raises(RefusedQuestion) as raised:
        guard_pipeline([{"$out": "x"}], SERVER)

    assert "can't answer" in raised.value.user_message
    assert "$out" not in raised.value.user_message


@pytest.mark.parametrize("stage", FORBIDDEN_STAGES, ids=lambda s: next(iter(s)))
def test_stages_that_read_write_or_reshape_beyond_the_scope_are_refused(
    stage: dict[str, Any],
) -> None:
    assert "stage" in refused([{"$match": {}}, stage])


@pytest.mark.parametrize(
    "pipeline",
    [
        [{"$match": {"$where": "sleep(5000) || true"}}],
        [{"$match": {"$expr": {"$function": {"body": "f", "args": [], "lang": "js"}}}}],
        [{"$addFields": {"x": {"$function": {"body": "f", "args": [], "lang": "js"}}}}],
        [{"$group": {"_id": None, "x": {"$accumulator": {"init": "f"}}}}],
        [{"$group": {"_id": None, "x": {"$push": "$stats.map"}}}],
        [{"$match": {"stats.map": {"$regex": "^(a+)+$"}}}],
        [{"$match": {"$text": {"$search": "x"}}}],
        [{"$match": {"$jsonSchema": {}}}],
        [{"$addFields": {"x": {"$let": {"vars": {"r": "$$ROOT"}, "in": "$$r"}}}}],
        [{"$addFields": {"x": {"$getField": "note"}}}],
        [{"$addFields": {"x": {"$literal": "$note"}}}],
        [{"$addFields": {"x": {"$map": {"input": "$stats.weapons", "in": "$$this"}}}}],
        [{"$project": {"x": {"$objectToArray": "$stats"}}}],
        [{"$match": {"stats.map": {"$eq": "Den", "$comment": "hi"}}}],
        [{"$sort": {"stats.player.kills": {"$meta": "textScore"}}}],
    ],
)
def test_forbidden_operators_are_refused(pipeline: list[Any]) -> None:
    refused(pipeline)


@pytest.mark.parametrize("variable", FORBIDDEN_VARIABLES)
def test_system_variables_other_than_now_are_refused(variable: str) -> None:
    assert "variable" in refused([{"$addFields": {"x": variable}}])


@pytest.mark.parametrize(
    "pipeline",
    [
        [{"$match": {"note": "x"}}],
        [{"$match": {"interaction_id": {"$gt": 0}}}],
        [{"$match": {"$expr": {"$eq": ["$channel_id", 1]}}}],
        [{"$sort": {"created_at": -1}}],
        [{"$project": {"note": 1}}],
        [{"$project": {"screenshot_hashes": 1, "_id": 0}}],
        [{"$addFields": {"x": "$catalog_flags"}}],
        [{"$unwind": "$catalog_flags"}],
        [{"$group": {"_id": "$interaction_id"}}],
        [{"$sortByCount": "$note"}],
        [{"$match": {"stats.weapons": {"$elemMatch": {"serial": 1}}}}],
    ],
)
def test_fields_outside_the_catalogue_are_refused(pipeline: list[Any]) -> None:
    assert "field" in refused(pipeline)


def test_fields_are_tracked_through_stages() -> None:
    after_group = [{"$group": {"_id": "$stats.map", "n": {"$sum": 1}}}]

    assert "unknown field stats.player.kills" in refused(
        [*after_group, {"$sort": {"stats.player.kills": -1}}]
    )
    guard_pipeline([*after_group, {"$sort": {"n": -1, "_id": 1}}], SERVER)
    after_project = [{"$project": {"kills": "$stats.player.kills"}}]
    assert "unknown field" in refused([*after_project, {"$sort": {"played_at": -1}}])
    guard_pipeline([*after_project, {"$sort": {"kills": -1}}], SERVER)
    after_count = [{"$count": "n"}, {"$project": {"n": 1}}]
    guard_pipeline(after_count, SERVER)


@pytest.mark.parametrize(
    "pipeline",
    [
        [{"$addFields": {"$where": 1}}],
        [{"$addFields": {"stats.player.kills": 1}}],
        [{"$group": {"_id": None, "a.b": {"$sum": 1}}}],
        [{"$project": {"": 1}}],
        [{"$count": "$n"}],
        [{"$count": "a.b"}],
        [{"$addFields": {"x": {"a.b": 1}}}],
        [{"$match": {"stats.map": {"a.b": 1}}}],
    ],
)
def test_output_names_are_plain_identifiers(pipeline: list[Any]) -> None:
    assert "name" in refused(pipeline)


@pytest.mark.parametrize(
    "pipeline",
    [
        "not a list",
        {"$match": {}},
        [],
        [{}],
        ["$match"],
        [{"$match": {}, "$limit": 1}],
        [{1: {}}],
        [{"$limit": 0}],
        [{"$limit": -5}],
        [{"$limit": True}],
        [{"$limit": 2.5}],
        [{"$skip": -1}],
        [{"$skip": "1"}],
        [{"$skip": False}],
        [{"$sort": {}}],
        [{"$sort": {"played_at": True}}],
        [{"$sort": {"played_at": 2}}],
        [{"$group": {"n": {"$sum": 1}}}],
        [{"$group": {"_id": None, "n": {"$sum": 1, "$avg": 1}}}],
        [{"$unwind": {"path": "$stats.weapons", "includeArrayIndex": "i"}}],
        [{"$unwind": {"path": "$stats.weapons", "preserveNullAndEmptyArrays": "yes"}}],
        [{"$unwind": "stats.weapons"}],
        [{"$project": {}}],
        [{"$project": {"played_at": 1, "user_id": 0}}],
        [{"$addFields": {"x": {"$add": [1, 2], "$subtract": [1, 2]}}}],
        [{"$addFields": {"x": {"a": 1, "$add": [1, 2]}}}],
        [{"$match": {"stats.player.kills": {"$gt": 1, "x": 2}}}],
        [{"$match": {"stats.map": "$stats.result"}}],
        [{"$match": {"stats.map": {"$in": "Den"}}}],
        [{"$addFields": {"x": b"bytes"}}],
        [{"$addFields": {"x": object()}}],
        [{"$addFields": {"x": 2**63}}],
        [{"$addFields": {"x": "y" * 101}}],
        [{"$match": {"stats.map": {"$in": list(range(51))}}}],
    ],
)
def test_malformed_pipelines_are_refused(pipeline: Any) -> None:
    refused(pipeline)


def test_pipeline_length_is_capped() -> None:
    assert "stages" in refused([{"$match": {}}] * (MAX_STAGES + 1))
    guard_pipeline([{"$match": {}}] * MAX_STAGES, SERVER)


def test_nesting_depth_is_capped() -> None:
    deep: Any = "$stats.player.kills"
    for _ in range(6):
        deep = {"$abs": [deep]}

    assert "deeper" in refused([{"$addFields": {"x": deep}}])


def test_total_size_is_capped() -> None:
    wide = {f"x{i}": {"$add": ["$stats.player.kills", i]} for i in range(40)}

    assert "nodes" in refused([{"$addFields": wide}, {"$addFields": wide}])


def test_the_planner_guide_names_everything_the_guard_allows_and_nothing_it_refuses() -> None:
    guide = planner_guide()

    for allowed in STAGES | EXPRESSION_OPERATORS | ACCUMULATORS | {"$$NOW", '"$date"'}:
        assert allowed in guide
    for refused_name in ["$lookup", "$where", "$function", "$$ROOT", "$push", "$regex"]:
        assert refused_name not in guide
