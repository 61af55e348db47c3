"""bench.ask_worst times plans the guard accepts, the heaviest close to its work budget."""

from __future__ import annotations

from app.core.ask.guard import Scope, guard_pipeline
from app.core.ask.workload import MAX_WORK_PER_MATCH
from bench.ask_worst import PLANS, estimated_work, parse_args


def test_every_benchmarked_plan_is_accepted_by_the_guard() -> None:
    for pipeline in PLANS.values():
        guard_pipeline(pipeline, Scope(1))


def test_the_heaviest_plan_uses_most_of_the_work_budget() -> None:
    assert max(estimated_work(p) for p in PLANS.values()) >= MAX_WORK_PER_MATCH // 2


def test_the_defaults_are_the_issues_hundred_thousand_matches() -> None:
    assert parse_args([]).matches == 100_000
