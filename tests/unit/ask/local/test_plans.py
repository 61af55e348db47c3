"""Local plans are plans like the AI's: the guard accepts every shape's pipeline unchanged, and
the parser never raises on any text, however hostile."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.ask.guard import DEFAULT_MAX_LIMIT, MAX_STAGES, Scope, guard_pipeline
from app.core.ask.local import Asker, plan_locally
from app.core.ask.local.parse import parse_question
from app.core.ask.local.question import Shape
from app.core.ask.text import MAX_QUESTION

NOW = datetime(2026, 12, 6, 14, 30, tzinfo=UTC)
ME, OTHER, THIRD, GUILD = 10, 42, 77, 5
MAPS = {"Den": "Den", "Scar": "Scar"}

# Each shape, with every stat kind and every kind of period among them.
QUESTIONS = {
    Shape.BEST_BY: [
        "my best map by K/D over the last 30 days",
        "worst mode by accuracy last 10 matches",
        "which map do I win the most on this month",
        "best map for hill time",
        "which maps have I played the most",
        "best mode by total score yesterday",
    ],
    Shape.TOTALS: [
        "my average kills this week",
        "how many matches did I win last week",
        "my accuracy in the last 10 matches",
        "how many games did I play today",
        "total plants this year",
        "my K/D on Den in hardpoint last month",
        "device carry time over my last 3 games",
    ],
    Shape.LEADER: [
        "who has the most kills this week",
        "who leads accuracy over the last 5 matches",
        "who has the best win rate",
        "who played the most matches",
        "who has the fewest deaths per game",
    ],
    Shape.TREND: [
        "is my K/D improving",
        "my accuracy trend this month",
        "kills over time over the last 200 days",
        "win rate trend last 3 matches",
        "my hill time trend today",
        "matches trend this week",
        "accuracy trend over my last 100 games",
    ],
    Shape.HEAD_TO_HEAD: [
        f"me vs <@{OTHER}> in kills",
        f"<@{OTHER}> vs <@{THIRD}> accuracy over the last 10 matches",
        f"compare my win rate with <@{OTHER}> this week",
        f"me or <@{OTHER}>: who played more matches",
    ],
    Shape.RECORD: [
        "my best game",
        "most kills in a match this month",
        "my best accuracy game in the last 10 games",
        "fewest deaths in a single game",
        "record defuses",
    ],
}
ALL = [(shape, text) for shape, texts in QUESTIONS.items() for text in texts]


@pytest.mark.parametrize(("shape", "text"), ALL)
@pytest.mark.parametrize("scope", [Scope(GUILD), Scope(GUILD, ME)])
def test_every_shape_passes_the_guard_unchanged(shape: Shape, text: str, scope: Scope) -> None:
    plan = plan_locally(text, Asker(ME), NOW, MAPS)
    assert plan is not None and plan.question.shape is shape, text

    guarded = guard_pipeline(plan.pipeline, scope)

    assert len(plan.pipeline) <= MAX_STAGES
    assert guarded.stages[0] == {"$match": scope.filter()}
    final_limit = [] if plan.pipeline[-1].get("$limit") else [{"$limit": DEFAULT_MAX_LIMIT}]
    assert list(guarded.stages[2:]) == [*plan.pipeline, *final_limit]


def test_dates_are_the_periods_own_from_the_clock() -> None:
    plan = plan_locally("my kills last week", Asker(ME), NOW, MAPS)
    assert plan is not None

    (first, *_) = plan.pipeline
    # NOW is Sunday 6 December: last week ran from Monday 23 to Monday 30 November.
    assert first["$match"]["played_at"] == {
        "$gte": datetime(2026, 11, 23, tzinfo=UTC),
        "$lt": datetime(2026, 11, 30, tzinfo=UTC),
    }
    assert first["$match"]["user_id"] == ME


def test_a_server_wide_question_does_not_filter_by_player() -> None:
    plan = plan_locally("who has the most kills", Asker(ME), NOW, MAPS)
    assert plan is not None

    assert all("user_id" not in stage.get("$match", {}) for stage in plan.pipeline)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=MAX_QUESTION))
def test_any_text_is_a_plan_the_guard_accepts_or_none(text: str) -> None:
    plan = plan_locally(text, Asker(ME), NOW, MAPS)

    if plan is not None:
        guard_pipeline(plan.pipeline, Scope(GUILD))


WORDS = st.sampled_from(
    [
        "my", "me", "who", "best", "worst", "map", "mode", "kills", "kd", "k/d", "vs", "<@42>",
        "<@!77>", "last", "10", "matches", "days", "week", "this", "trend", "improving",
        "record", "game", "in", "a", "on", "Den", "hardpoint", "s&d", "win", "rate", "most",
        "fewest", "average", "total", "accuracy", "how", "many", "today", "ever", "per",
        "hill", "time", "than", "or", "?", "'s", "%", "<@", ">", "lol",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join))
def test_any_mix_of_the_parsers_own_words_plans_something_the_guard_accepts(text: str) -> None:
    plan = plan_locally(text[:MAX_QUESTION], Asker(ME), NOW, MAPS)

    if plan is not None:
        guarded = guard_pipeline(plan.pipeline, Scope(GUILD, ME))
        assert guarded.stages[0] == {"$match": {"guild_id": GUILD, "user_id": ME}}


@pytest.mark.parametrize(
    "text",
    [
        "<@" * 300,
        "<@1" * 100,
        "last " * 120,
        "a" * 5000,
        "k/d " * 75,
        "my best " * 100,
        "<@12345678901234567890123>" * 10,
    ],
)
def test_hostile_text_is_parsed_quickly(text: str) -> None:
    started = time.perf_counter()
    for _ in range(20):
        parse_question(text, Asker(ME), MAPS)

    # About 2 ms on a developer's machine; backtracking would take seconds. The margin is for a
    # busy CI runner.
    assert (time.perf_counter() - started) / 20 < 0.05
