"""The API's Gemini: built on the first call, once however many calls race for it, and every
port answered by the Gemini it built."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest
from pydantic import SecretStr

from app.core.ai import AIUsage, AnswerRows, DebriefText, Extraction, PlannedQuery, PreparedImage
from app.core.errors import AIUnavailable
from app.shared import ai
from app.shared.ai import GeminiOnFirstUse, open_ai
from app.shared.gemini import GeminiAI
from app.shared.settings import Settings, load_settings

USAGE = AIUsage(model="fake")


class FakeGemini:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.closed = False

    async def read_stats(self, images: Sequence[PreparedImage], note: str | None) -> Extraction:
        self.calls.append(f"read_stats {note}")
        return Extraction(raw_stats={"kills": 3}, usage=USAGE)

    async def write_debrief(self, facts: Mapping[str, Any]) -> DebriefText:
        self.calls.append("write_debrief")
        return DebriefText(headline="h", strengths=(), to_work_on=(), usage=USAGE)

    async def plan(self, question: str, fields: Mapping[str, str]) -> PlannedQuery:
        self.calls.append(f"plan {question}")
        return PlannedQuery(pipeline=[], title="t", usage=USAGE)

    async def phrase(self, answer: AnswerRows) -> str:
        self.calls.append("phrase")
        return "an answer"

    async def write_digest(self, facts: Mapping[str, Any]) -> str:
        self.calls.append("write_digest")
        return "a digest"

    async def aclose(self) -> None:
        self.closed = True


def settings() -> Settings:
    return load_settings(debrief_env="sandbox", gemini_api_key=SecretStr("probe-key"))


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[FakeGemini]:
    """Each Gemini opened, in place of `open_gemini` (which opens an HTTP session too)."""
    built: list[FakeGemini] = []

    @asynccontextmanager
    async def opened(settings: Settings, on_usage: object) -> AsyncIterator[FakeGemini]:
        built.append(FakeGemini())
        try:
            yield built[-1]
        finally:
            await built[-1].aclose()

    monkeypatch.setattr(ai, "_open_gemini", opened)
    return built


async def test_gemini_is_built_by_the_first_call_only_and_once(builds: list[FakeGemini]) -> None:
    lazy = GeminiOnFirstUse(settings())
    assert not lazy.built
    assert builds == []

    await asyncio.gather(*(lazy.plan(f"q{n}", {}) for n in range(5)))

    assert lazy.built
    assert len(builds) == 1
    assert sorted(builds[0].calls) == [f"plan q{n}" for n in range(5)]


async def test_every_port_is_answered_by_the_gemini_built(builds: list[FakeGemini]) -> None:
    lazy = GeminiOnFirstUse(settings())

    extraction = await lazy.read_stats([], "a note")
    debrief = await lazy.write_debrief({})
    phrased = await lazy.phrase(AnswerRows(question="q", title="t", columns=()))
    digest = await lazy.write_digest({})
    await lazy.aclose()

    assert extraction.raw_stats == {"kills": 3}
    assert debrief.headline == "h"
    assert (phrased, digest) == ("an answer", "a digest")
    assert builds[0].calls == ["read_stats a note", "write_debrief", "phrase", "write_digest"]
    assert builds[0].closed


async def test_closing_before_any_call_builds_nothing(builds: list[FakeGemini]) -> None:
    async with open_ai(settings(), gemini_on_first_use=True) as dependencies:
        assert isinstance(dependencies.planner, GeminiOnFirstUse)

    assert builds == []


async def test_the_real_builder_gives_the_real_adapter() -> None:
    lazy = GeminiOnFirstUse(settings())
    try:
        assert isinstance(await lazy._built(), GeminiAI)
    finally:
        await lazy.aclose()


async def test_without_first_use_gemini_is_built_at_start(builds: list[FakeGemini]) -> None:
    async with open_ai(settings()) as dependencies:
        assert builds == []  # built at start, through `open_gemini` itself: a real adapter
        assert isinstance(dependencies.planner, GeminiAI)


async def test_with_writing_off_gemini_reads_and_plans_but_the_templates_write(
    builds: list[FakeGemini],
) -> None:
    writing_off = settings().model_copy(update={"gemini_writes": False})
    async with open_ai(writing_off, gemini_on_first_use=True) as dependencies:
        for write in (
            dependencies.debrief_writer.write_debrief({}),
            dependencies.digest_writer.write_digest({}),
        ):
            with pytest.raises(AIUnavailable):  # the handlers' cue for the template
                await write
        await dependencies.stats_reader.read_stats([], "a note")
        await dependencies.planner.plan("q", {})

    assert builds[0].calls == ["read_stats a note", "plan q"]
