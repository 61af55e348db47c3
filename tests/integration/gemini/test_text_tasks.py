"""Debriefs, query plans, answer sentences and digests: requests sent and answers parsed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.core.ai import AnswerRows
from app.core.errors import AIUnavailable, RefusedQuestion
from app.shared.gemini import GeminiAI
from app.shared.gemini.prompts import DEBRIEF_SYSTEM, PLAN_SYSTEM
from app.shared.gemini.schemas import DEBRIEF_SCHEMA, PLAN_SCHEMA
from devtools.gemini_stub import (
    GeminiStub,
    JsonAnswer,
    Match,
    Rule,
    SafetyBlock,
    TextAnswer,
)

from .conftest import MODEL

FACTS = {
    "match": {"map": "Den", "kills": 31, "deaths": 22, "kd": 1.41},
    "averages": {"last": 10, "kills": 24.5, "kd": 1.08},
    "deltas": {"kills": 6.5, "kd": 0.33},
    "personal_bests": ["kills"],
    "played_at": datetime(2026, 11, 20, 21, 30, tzinfo=UTC),
}
DEBRIEF = {
    "headline": "31 kills on Den: a new personal best",
    "strengths": ["31 kills, 6.5 above your average", "K/D 1.41 against your usual 1.08"],
    "to_work_on": ["22 deaths: fewer solo pushes", "Hold the hill longer after a capture"],
}
FIELDS = {"kills": "kills in the match", "mode": "hardpoint, search_and_destroy or overload"}
PIPELINE = [
    {"$match": {"mode": "hardpoint"}},
    {"$group": {"_id": None, "avg_kills": {"$avg": "$kills"}}},
]
ROWS = AnswerRows(
    question="What's my average K/D in Hardpoint?",
    title="Average K/D in Hardpoint",
    columns=("mode", "avg_kd"),
    rows=(("hardpoint", 1.23),),
)


def program(stub: GeminiStub, answer: JsonAnswer | TextAnswer | SafetyBlock) -> None:
    stub.add_rule(Rule.always(Match(), answer))


@pytest.mark.usefixtures("no_stub_problems")
async def test_debrief_is_parsed_and_built_from_the_facts(stub: GeminiStub, ai: GeminiAI) -> None:
    program(stub, JsonAnswer(DEBRIEF))

    debrief = await ai.write_debrief(FACTS)

    assert debrief.headline == DEBRIEF["headline"]
    assert debrief.strengths == tuple(DEBRIEF["strengths"])
    assert debrief.to_work_on == tuple(DEBRIEF["to_work_on"])
    (request,) = stub.requests
    assert debrief.usage.model == MODEL
    assert request.usage is not None
    assert debrief.usage.prompt_tokens == request.usage.prompt_tokens
    assert request.system_texts == (DEBRIEF_SYSTEM,)
    assert '"kills":31' in request.texts[0]
    assert "2026-11-20 21:30:00+00:00" in request.texts[0]
    assert request.response_schema is not None
    assert request.response_schema.schema == DEBRIEF_SCHEMA


async def test_overlong_debrief_is_clipped(stub: GeminiStub, ai: GeminiAI) -> None:
    long_headline = "What a match " + "and then some more " * 12
    points = [f"point number {n} " + "with plenty of detail " * 8 for n in range(5)]
    program(
        stub,
        JsonAnswer(
            {"headline": long_headline, "strengths": points, "to_work_on": points[:2]},
            violates_schema=True,
        ),
    )

    debrief = await ai.write_debrief(FACTS)

    assert len(debrief.headline) <= 120
    assert debrief.headline.endswith("…")
    assert debrief.headline.startswith("What a match and then")
    assert len(debrief.strengths) == 3
    assert all(len(point) <= 120 for point in (*debrief.strengths, *debrief.to_work_on))


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(SafetyBlock(), id="safety-block"),
        pytest.param(TextAnswer("Great game!"), id="prose"),
        pytest.param(
            JsonAnswer({**DEBRIEF, "strengths": []}, violates_schema=True), id="no-strengths"
        ),
        pytest.param(JsonAnswer({**DEBRIEF, "headline": 7}, violates_schema=True), id="number"),
    ],
)
async def test_unusable_debrief_is_unavailable(
    stub: GeminiStub, ai: GeminiAI, answer: JsonAnswer | TextAnswer | SafetyBlock
) -> None:
    program(stub, answer)

    with pytest.raises(AIUnavailable):
        await ai.write_debrief(FACTS)


@pytest.mark.usefixtures("no_stub_problems")
async def test_plan_parses_the_pipeline_from_its_json_text(stub: GeminiStub, ai: GeminiAI) -> None:
    answer = {"answerable": True, "title": "Average kills", "pipeline_json": json.dumps(PIPELINE)}
    program(stub, JsonAnswer(answer))

    planned = await ai.plan("  my average kills in hardpoint?  ", FIELDS)

    assert list(planned.pipeline) == PIPELINE
    assert planned.title == "Average kills"
    assert planned.usage.model == MODEL
    (request,) = stub.requests
    assert request.system_texts == (PLAN_SYSTEM,)
    assert "- kills: kills in the match" in request.texts[0]
    assert "<question>\nmy average kills in hardpoint?\n</question>" in request.texts[0]
    assert request.response_schema is not None
    assert request.response_schema.schema == PLAN_SCHEMA


async def test_plan_accepts_a_pipeline_in_a_code_fence(stub: GeminiStub, ai: GeminiAI) -> None:
    fenced = "```json\n" + json.dumps(PIPELINE) + "\n```"
    program(stub, JsonAnswer({"answerable": True, "title": "Kills", "pipeline_json": fenced}))

    planned = await ai.plan("average kills", FIELDS)

    assert list(planned.pipeline) == PIPELINE


@pytest.mark.parametrize(
    "answer",
    [
        {"answerable": False, "title": "", "pipeline_json": "[]"},
        {"answerable": True, "title": "Everything", "pipeline_json": "[]"},
    ],
)
async def test_question_the_fields_cannot_answer_is_refused(
    stub: GeminiStub, ai: GeminiAI, answer: dict[str, object]
) -> None:
    program(stub, JsonAnswer(answer))

    with pytest.raises(RefusedQuestion):
        await ai.plan("what's the weather tomorrow?", FIELDS)


@pytest.mark.parametrize(
    "pipeline_json",
    ['{"$match": {}}', "[1, 2]", "[{}]", "not json at all"],
)
async def test_plan_that_is_not_a_list_of_stages_is_unavailable(
    stub: GeminiStub, ai: GeminiAI, pipeline_json: str
) -> None:
    program(stub, JsonAnswer({"answerable": True, "title": "T", "pipeline_json": pipeline_json}))

    with pytest.raises(AIUnavailable):
        await ai.plan("average kills", FIELDS)


@pytest.mark.usefixtures("no_stub_problems")
async def test_phrase_returns_one_sentence_from_the_rows(stub: GeminiStub, ai: GeminiAI) -> None:
    program(stub, JsonAnswer({"sentence": "Your average K/D in Hardpoint is 1.23."}))

    sentence = await ai.phrase(ROWS)

    assert sentence == "Your average K/D in Hardpoint is 1.23."
    (request,) = stub.requests
    assert '[{"mode":"hardpoint","avg_kd":1.23}]' in request.texts[0]
    assert ROWS.question in request.texts[0]


async def test_overlong_sentence_is_clipped(stub: GeminiStub, ai: GeminiAI) -> None:
    # Gemini's schema subset has no maxLength: an overlong sentence follows the schema, and
    # the length is enforced after parsing.
    program(stub, JsonAnswer({"sentence": "word " * 100}))

    sentence = await ai.phrase(ROWS)

    assert len(sentence) <= 300
    assert sentence.endswith("word…")


@pytest.mark.usefixtures("no_stub_problems")
async def test_digest_is_parsed(stub: GeminiStub, ai: GeminiAI) -> None:
    summary = "A big week for the squad: 14 matches, 9 wins. NightOwl_77 led with a 1.41 K/D."
    program(stub, JsonAnswer({"summary": summary}))

    digest = await ai.write_digest({"matches": 14, "wins": 9})

    assert digest == summary


async def test_digest_blocked_by_safety_is_unavailable(stub: GeminiStub, ai: GeminiAI) -> None:
    program(stub, SafetyBlock())

    with pytest.raises(AIUnavailable):
        await ai.write_digest({"matches": 14})
