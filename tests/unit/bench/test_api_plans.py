"""Naming query shapes and reading their plans, for the API benchmark's tables."""

from __future__ import annotations

from typing import Any

from bench.api_plans import (
    ExplainedQuery,
    Plan,
    ProfiledQuery,
    explainable,
    mean_max,
    query_shape,
    shape,
    shape_rows,
    without_hint,
)

PAGE = {
    "find": "matches",
    "filter": {"user_id": 7, "played_at": {"$lte": "t"}},
    "sort": {"played_at": -1, "_id": -1},
    "limit": 21,
    "hint": "user_newest",
    "lsid": {"id": "x"},
    "$db": "debrief",
}
LEADERBOARD = {
    "aggregate": "matches",
    "pipeline": [{"$match": {"guild_id": 1}}, {"$group": {"_id": "$user_id"}}, {"$limit": 10}],
    "cursor": {},
    "hint": "guild_newest",
}


def plan(examined: int, returned: int, millis: int = 5) -> Plan:
    return Plan(("SORT", "FETCH", "IXSCAN"), "user_newest", examined, examined, returned, millis)


def explained(command: dict[str, Any], examined: int, returned: int) -> ExplainedQuery:
    return ExplainedQuery(ProfiledQuery("route", command, 9), plan(examined, returned), plan(0, 0))


def test_a_shape_keeps_the_structure_and_drops_the_values() -> None:
    assert shape({"a": 1, "$nor": [{"b": 2}, {"b": 3}], "c": {"$gte": 4}}) == (
        "{a: ?, $nor: [{b: ?}], c: {$gte: ?}}"
    )


def test_a_find_is_named_by_filter_sort_limit_and_hint() -> None:
    assert query_shape(PAGE) == (
        "find matches {user_id: ?, played_at: {$lte: ?}} sort played_at↓,_id↓ limit 21 "
        "hint user_newest"
    )


def test_an_aggregation_is_named_by_its_match_and_later_stages() -> None:
    assert query_shape(LEADERBOARD) == (
        "aggregate matches {guild_id: ?} then $group $limit hint guild_newest"
    )


def test_explain_gets_the_command_without_session_fields() -> None:
    body = explainable(PAGE)

    assert "lsid" not in body
    assert "$db" not in body
    assert body["hint"] == "user_newest"
    assert "hint" not in without_hint(body)


def test_a_find_returns_at_most_its_limit_whatever_the_sort_stage_reports() -> None:
    assert explained(PAGE, examined=73, returned=73).returned == 21
    assert explained(PAGE, examined=5, returned=5).returned == 5


def test_an_aggregation_returns_what_its_match_hands_to_the_next_stages() -> None:
    assert explained(LEADERBOARD, examined=900, returned=900).returned == 900


def test_nothing_returned_has_no_ratio() -> None:
    assert explained(PAGE, examined=0, returned=0).examined_per_returned is None


def test_rows_group_by_route_and_shape_with_the_worst_ratio() -> None:
    rows = shape_rows(
        [explained(PAGE, 21, 21), explained(PAGE, 63, 63), explained(LEADERBOARD, 9, 9)]
    )

    assert len(rows) == 2
    page_row = rows[0]
    assert page_row[3] == "2"  # explained
    assert page_row[5] == "42 / 63"  # docs examined
    assert page_row[7] == "3.00"  # 63 examined for 21 returned


def test_mean_and_max_collapse_when_equal() -> None:
    assert mean_max([4, 4]) == "4"
    assert mean_max([1, 3]) == "2 / 3"
    assert mean_max([]) == "-"
