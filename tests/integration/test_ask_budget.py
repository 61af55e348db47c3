"""What the /ask guard accepts stays cheap on the real database (issue 9).

Pipelines are generated from allowed operators only, realistic ones and adversarial ones that
try to grow a value ($concat of a $concat, arrays of arrays, $toString, $unwind of what was
built). Every pipeline the guard accepts is run on the real MongoDB wire server over matches
as big as validation allows (64-character names of 4-byte characters, ten weapons), and must
stay within a fixed budget of result bytes and time. The issue's exact plan must be refused.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import bson
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.core.ask.errors import PipelineRefused, QuestionNotComputable
from app.core.ask.guard import DEFAULT_MAX_LIMIT, Scope, guard_pipeline
from app.core.ask.workload import MAX_DOCUMENT_BYTES
from app.core.game.modes import MatchStats
from app.core.game.players import MAX_WEAPONS, NAME_MAX_LENGTH
from app.core.matches import Match
from app.shared.db.connection import Database
from app.shared.db.repositories import BeanieMatchRepository
from app.shared.db.repositories.ask import BeanieGuardedQueryRunner
from tests.support.factories import T0, match_fields, raw_hardpoint
from tests.unit.ask.strategies import pipelines

HOME = 111
MATCHES = 40
# Every answer fits in this, whatever the plan: the guard's per-document cap, times the rows.
RESULT_BYTES = DEFAULT_MAX_LIMIT * MAX_DOCUMENT_BYTES
# Generous for a busy machine: a plan the guard accepts takes milliseconds here.
WALL_TIME_S = 15.0
WIDEST = "\U0001f600" * NAME_MAX_LENGTH


def big_match(index: int) -> dict[str, Any]:
    raw = raw_hardpoint(gamertag=WIDEST, kills=90, deaths=100 + index % 20, score=29_000)
    raw["map"] = WIDEST if index % 2 else "Den"
    raw["weapons"] = [
        {"name": f"{WIDEST[:-3]}{n:03}", "kills": 9, "headshots": 3, "accuracy": 50.5}
        for n in range(MAX_WEAPONS)
    ]
    return raw


@pytest.fixture
async def seeded(database: Database) -> list[Match]:
    matches = BeanieMatchRepository()
    return [
        await matches.add(
            match_fields(
                guild_id=HOME,
                user_id=index % 3 + 1,
                stats=MatchStats.model_validate(big_match(index)),
                played_at=T0 - timedelta(hours=index),
            )
        )
        for index in range(MATCHES)
    ]


STARTS = [
    "$stats.map", "$stats.player.gamertag", "$stats.weapons", "$stats.weapons.name",
    {"$toString": "$stats.player.kills"}, {"$toString": "$played_at"},
    {"$toUpper": "$stats.map"}, {"$dateToString": {"date": "$played_at", "format": "%Y-%m-%d"}},
    ["$stats.map", "$stats.map"], list(range(10)),
]  # fmt: skip


def grow(width: int) -> st.SearchStrategy[Any]:
    """One step that makes `$a` bigger, built from allowed operators only."""
    return st.sampled_from(
        [
            {"$concat": ["$a"] * width},
            ["$a"] * width,
            {"$toString": "$a"},
            {"$toLower": {"$concat": ["$a", "$stats.map"]}},
            {"$cond": [True, {"$concat": ["$a"] * width}, "$a"]},
            {"$ifNull": [None, ["$a"] * width]},
            {"a": "$a", "b": "$a"},
            {"$max": [["$a"] * width, "$a"]},
        ]
    )


@st.composite
def growth_pipelines(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Adversarial plans: start from a field, grow it stage after stage, then use it."""
    stages: list[dict[str, Any]] = [{"$set": {"a": draw(st.sampled_from(STARTS))}}]
    for _ in range(draw(st.integers(1, 7))):
        step = draw(st.sampled_from(["grow", "grow", "unwind", "wide"]))
        if step == "grow":
            stages.append({"$set": {"a": draw(grow(draw(st.integers(2, 50))))}})
        elif step == "unwind":
            stages.append({"$unwind": "$a"})
        else:
            stages.append({"$set": {f"w{len(stages)}": "$a", f"v{len(stages)}": "$a"}})
    stages.append(
        draw(
            st.sampled_from(
                [
                    {"$sort": {"a": -1}},
                    {"$group": {"_id": "$a", "n": {"$sum": 1}}},
                    {"$group": {"_id": None, "top": {"$max": "$a"}}},
                    {"$sortByCount": "$a"},
                    {"$project": {"_id": 0, "a": 1}},
                ]
            )
        )
    )
    return stages


async def run(pipeline: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The rows of an accepted plan, or None if the guard (or MongoDB) refused it."""
    try:
        guarded = guard_pipeline(pipeline, Scope(HOME))
    except PipelineRefused:
        return None
    try:
        return await BeanieGuardedQueryRunner().run_guarded(
            guarded.stages, max_time_ms=guarded.max_time_ms
        )
    except QuestionNotComputable:
        return []  # e.g. a $concat of an array: MongoDB refused it, having built nothing big


def result_bytes(rows: list[dict[str, Any]]) -> int:
    return sum(len(bson.encode(row)) for row in rows)


@given(st.one_of(growth_pipelines(), pipelines()))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_every_accepted_plan_stays_within_a_fixed_budget(
    seeded: list[Match], pipeline: list[dict[str, Any]]
) -> None:
    started = time.perf_counter()
    rows = await run(pipeline)
    elapsed = time.perf_counter() - started

    event("refused" if rows is None else "accepted and run")
    if rows is not None:
        assert all(len(bson.encode(row)) <= MAX_DOCUMENT_BYTES for row in rows), pipeline
        assert result_bytes(rows) <= RESULT_BYTES, pipeline
    assert elapsed < WALL_TIME_S, pipeline


def doubling(start: object) -> list[dict[str, Any]]:
    return [
        {"$set": {"a": start}},
        *({"$set": {"a": {"$concat": ["$a", "$a"]}}} for _ in range(7)),
        {"$project": {"_id": 0, "a": 1}},
    ]


@pytest.mark.parametrize(
    "pipeline",
    [
        doubling("$stats.map"),
        doubling({"$toString": "$stats.player.kills"}),
        [{"$set": {"a": "$stats.weapons"}}, {"$set": {"a": ["$a", "$a"]}},
         {"$set": {"a": ["$a", "$a"]}}],
        [{"$set": {"a": list(range(20))}}, {"$unwind": "$a"},
         {"$set": {"b": list(range(20))}}, {"$unwind": "$b"}, {"$sort": {"a": 1}}],
    ],
)  # fmt: skip
async def test_the_growth_plans_of_the_issue_never_reach_the_database(
    seeded: list[Match], pipeline: list[dict[str, Any]]
) -> None:
    assert await run(pipeline) is None


async def test_the_largest_accepted_doubling_answers_within_the_budget(
    seeded: list[Match],
) -> None:
    # Two doublings of the widest map name: 1 KB a value, accepted and answered.
    rows = await run([*doubling("$stats.map")[:3], {"$project": {"_id": 0, "a": 1}}])

    assert rows is not None and len(rows) == MATCHES
    assert max(len(row["a"]) for row in rows) == 4 * NAME_MAX_LENGTH
    assert result_bytes(rows) <= RESULT_BYTES
