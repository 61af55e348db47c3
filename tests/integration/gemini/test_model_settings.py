"""What each task asks of each model, as the stub (held to Gemini's contract) receives it."""

from __future__ import annotations

import logging

import pytest

from app.core.ai import AnswerRows, PreparedImage
from app.shared.gemini import prompts
from app.shared.gemini.models import DEFAULT_MODEL
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule

from .conftest import READABLE, AIFactory

PLAN = {"answerable": True, "title": "Kills", "pipeline_json": '[{"$match": {}}]'}
DEBRIEF = {"headline": "A win", "strengths": ["a", "b"], "to_work_on": ["c", "d"]}
ROWS = AnswerRows(question="how many kills?", title="Kills", columns=("kills",), rows=((3,),))


def program_every_task(stub: GeminiStub) -> None:
    for system, answer in (
        (prompts.EXTRACTION_SYSTEM, READABLE),
        (prompts.PLAN_SYSTEM, PLAN),
        (prompts.PHRASE_SYSTEM, {"sentence": "Three kills."}),
        (prompts.DEBRIEF_SYSTEM, DEBRIEF),
    ):
        marker = system.splitlines()[0]
        stub.add_rule(Rule.always(Match(prompt_contains=marker), JsonAnswer(answer)))


async def run_every_task(ai_factory: AIFactory, model: str, image: PreparedImage) -> None:
    ai = ai_factory(gemini_model=model)
    await ai.read_stats([image], note=None)
    await ai.plan("how many kills?", {"stats.player.kills": "kills"})
    await ai.phrase(ROWS)
    await ai.write_debrief({"kills": 3})


@pytest.mark.usefixtures("no_stub_problems")
@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            DEFAULT_MODEL,
            [
                ({"thinkingLevel": "MINIMAL"}, None, "MEDIA_RESOLUTION_MEDIUM"),
                ({"thinkingLevel": "MINIMAL"}, None, None),
                ({"thinkingLevel": "LOW"}, None, None),
                ({"thinkingLevel": "LOW"}, None, None),
            ],
        ),
        (
            # No MINIMAL level: "off" is its lowest, LOW.
            "gemini-3.8-flash",
            [
                ({"thinkingLevel": "LOW"}, None, "MEDIA_RESOLUTION_MEDIUM"),
                ({"thinkingLevel": "LOW"}, None, None),
                ({"thinkingLevel": "LOW"}, None, None),
                ({"thinkingLevel": "LOW"}, None, None),
            ],
        ),
        (
            "gemini-2.5-flash",
            [
                ({"thinkingBudget": 0}, 0.0, None),
                ({"thinkingBudget": 0}, 0.0, None),
                ({"thinkingBudget": 1024}, 0.2, None),
                ({"thinkingBudget": 1024}, 0.7, None),
            ],
        ),
    ],
)
async def test_each_task_sends_the_thinking_temperature_and_resolution_its_model_takes(
    stub: GeminiStub,
    make_ai: AIFactory,
    scoreboard: PreparedImage,
    model: str,
    expected: list[tuple[dict[str, object], float | None, str | None]],
) -> None:
    program_every_task(stub)

    await run_every_task(make_ai, model, scoreboard)

    sent = [
        (
            request.generation_config.get("thinkingConfig"),
            request.generation_config.get("temperature"),
            request.generation_config.get("mediaResolution"),
        )
        for request in stub.requests
    ]
    assert [request.status for request in stub.requests] == [200] * 4
    assert sent == expected


async def test_usage_with_thinking_reaches_the_observer_per_task(
    stub: GeminiStub, make_ai: AIFactory, scoreboard: PreparedImage
) -> None:
    program_every_task(stub)
    heard: list[tuple[str, int, int]] = []
    ai = make_ai(
        on_usage=lambda task, usage: heard.append(
            (task, usage.output_tokens, usage.thoughts_tokens)
        )
    )

    await ai.read_stats([scoreboard], note=None)
    await ai.write_debrief({"kills": 3})

    billed = [request.usage for request in stub.requests]
    assert [task for task, _, _ in heard] == ["read_stats", "write_debrief"]
    assert [(output, thoughts) for _, output, thoughts in heard] == [
        (usage.output_tokens, usage.thoughts_tokens) for usage in billed if usage is not None
    ]
    # Minimal thinking for reading, low thinking (and so some tokens) for writing.
    assert heard[0][2] == 0 < heard[1][2]


@pytest.mark.parametrize(
    ("model", "warned"),
    [
        (DEFAULT_MODEL, None),
        ("gemini-2.5-flash", "was shut down on 2026-12-01"),
        ("gemini-3.1-flash-lite", "shuts down on 2027-05-07"),
    ],
)
def test_start_up_warns_about_a_deprecated_model(
    make_ai: AIFactory, caplog: pytest.LogCaptureFixture, model: str, warned: str | None
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.shared.gemini.factory"):
        make_ai(gemini_model=model)

    messages = [record.getMessage() for record in caplog.records]
    if warned is None:
        assert messages == []
    else:
        (message,) = messages
        assert warned in message
        assert f"GEMINI_MODEL={model}" in message
