"""In-memory stand-ins for the /ask ports: the AI planner, the guarded runner, cooldowns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.ai import AIUsage, AnswerRows, PlannedQuery, QueryPlanner
from app.core.errors import AIUnavailable
from app.core.ports import GuardedQueryRunner

USAGE = AIUsage(model="fake")


class FakeQueryPlanner(QueryPlanner):
    """Plans a fixed pipeline and phrases a fixed sentence; either may fail on demand."""

    def __init__(
        self,
        pipeline: Sequence[Mapping[str, Any]] = ({"$count": "matches"},),
        *,
        title: str = "Answer",
        sentence: str = "Here is your answer.",
        plan_fails: bool = False,
        phrase_fails: bool = False,
    ) -> None:
        self.pipeline = pipeline
        self.title = title
        self.sentence = sentence
        self.plan_fails = plan_fails
        self.phrase_fails = phrase_fails
        self.planned: list[tuple[str, Mapping[str, str]]] = []
        self.phrased: list[AnswerRows] = []

    async def plan(self, question: str, fields: Mapping[str, str]) -> PlannedQuery:
        self.planned.append((question, fields))
        if self.plan_fails:
            raise AIUnavailable
        return PlannedQuery(pipeline=self.pipeline, title=self.title, usage=USAGE)

    async def phrase(self, answer: AnswerRows) -> str:
        self.phrased.append(answer)
        if self.phrase_fails:
            raise AIUnavailable
        return self.sentence


class FakeQueryRunner(GuardedQueryRunner):
    """Returns preset documents and records every pipeline it was given."""

    def __init__(self, documents: Sequence[dict[str, Any]] = ()) -> None:
        self.documents = list(documents)
        self.runs: list[tuple[list[Mapping[str, Any]], int]] = []

    async def run_guarded(
        self, pipeline: Sequence[Mapping[str, Any]], *, max_time_ms: int
    ) -> list[dict[str, Any]]:
        self.runs.append((list(pipeline), max_time_ms))
        return list(self.documents)
