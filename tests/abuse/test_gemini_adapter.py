"""Hostile answers through the real google-genai client and the Gemini stub: every AI port
ends in a domain error, whatever the model sends back.

The SDK parses a structured answer itself before Debrief sees it, so these cover what the
parser-only fuzzing in test_gemini_answers cannot: an answer too deep for the SDK's parse.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from app.core.ai import AnswerRows, PreparedImage
from app.core.ask.errors import PipelineRefused
from app.core.ask.fields import FIELDS
from app.core.errors import AIUnavailable, DomainError, UnreadableScreenshot
from app.shared.gemini import GeminiAI, RetryPolicy, build_gemini
from app.shared.images import PillowImagePreparer
from app.shared.settings import Environment, Settings
from devtools.gemini_stub import GeminiStub, Match, Rule, TextAnswer
from devtools.samples import load_manifest

API_KEY = "AIzaSy-abuse-only-0123456789abcdef"
DEEP = 10_000
ROWS = AnswerRows("my kills?", "Kills", ("kills",), ((3,),))

Port = Callable[[GeminiAI], Awaitable[object]]


def screenshot() -> PreparedImage:
    sample = load_manifest().of_kind("scoreboard")[0]
    return PillowImagePreparer().prepare(sample.read_bytes(), "image/png")


PORTS: dict[str, tuple[Port, type[DomainError]]] = {
    "read_stats": (lambda ai: ai.read_stats([screenshot()], None), UnreadableScreenshot),
    "write_debrief": (lambda ai: ai.write_debrief({"kills": 3}), AIUnavailable),
    "plan": (lambda ai: ai.plan("my kills?", FIELDS), AIUnavailable),
    "phrase": (lambda ai: ai.phrase(ROWS), AIUnavailable),
    "write_digest": (lambda ai: ai.write_digest({"matches": 3}), AIUnavailable),
}
HOSTILE_TEXTS = {
    "deep arrays": "[" * DEEP + "]" * DEEP,
    "deep objects": '{"a":' * DEEP + "1" + "}" * DEEP,
    "deep inside an answer": '{"readable": true, "x": ' + "[" * DEEP + "]" * DEEP + "}",
    "megabytes": json.dumps({"sentence": "x" * 3_000_000, "summary": "y"}),
    "NaN": '{"sentence": NaN, "summary": NaN, "readable": NaN}',
    "NUL": '{"sentence": "\\u0000", "summary": "\\u0000", "readable": "\\u0000"}',
    "lone surrogate": '{"sentence": "\\ud800", "summary": "\\udc00", "readable": "\\ud800"}',
    "huge number": '{"sentence": ' + "9" * 5000 + "}",
}


@pytest.fixture(scope="module")
async def stub() -> AsyncIterator[GeminiStub]:
    async with GeminiStub(api_key=API_KEY) as running:
        yield running


@pytest.fixture
async def ai(stub: GeminiStub) -> AsyncIterator[GeminiAI]:
    stub.reset()
    settings = Settings(
        _env_file=None,
        debrief_env=Environment.DEVELOPMENT,
        gemini_api_key=API_KEY,
        gemini_base_url=stub.base_url,
    )
    adapter = build_gemini(settings, retry=RetryPolicy(attempts=1, initial_delay_s=0.01))
    yield adapter
    await adapter.aclose()


@pytest.mark.parametrize("port", PORTS)
@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
async def test_every_port_turns_a_hostile_answer_into_its_domain_error(
    stub: GeminiStub,
    ai: GeminiAI,
    caplog: pytest.LogCaptureFixture,
    port: str,
    text: str,
) -> None:
    stub.add_rule(Rule.always(Match(), TextAnswer(text)))
    call, expected = PORTS[port]

    with caplog.at_level(logging.INFO, logger="app.shared.gemini"), pytest.raises(expected):
        await call(ai)

    [line] = [r.getMessage() for r in caplog.records if r.name.startswith("app.shared.gemini")]
    assert "outcome=unusable" in line
    assert text[:20] not in line, "the answer stays out of the logs"


async def test_a_plan_nested_ten_thousand_deep_is_refused(stub: GeminiStub, ai: GeminiAI) -> None:
    pipeline_json = "[" * DEEP + "]" * DEEP
    answer = {"answerable": True, "title": "T", "pipeline_json": pipeline_json}
    stub.add_rule(Rule.always(Match(), TextAnswer(json.dumps(answer))))

    with pytest.raises(PipelineRefused) as refused:
        await ai.plan("my kills?", FIELDS)

    assert "nested deeper" in refused.value.rule


def scoreboard_answer(lobby: object) -> str:
    """The first sample's answer as Gemini may send it back, with ``lobby`` as given."""
    sample = load_manifest().of_kind("scoreboard")[0]
    return json.dumps({**sample.answer, "readable": True, "lobby": lobby})


def lobby_row(index: int, **changes: object) -> dict[str, object]:
    return {"gamertag": f"Rival_{index}", "team": "enemy", "kills": index, **changes}


JUNK = {"a": [[{"b": [1, {"c": "x" * 100}]}]]}
HOSTILE_LOBBIES = {
    "an object, not a list": ({"gamertag": "Rival_1", "team": "enemy"}, 0),
    "a string": ("Rival_1 ally 31 22", 0),
    "a number": (7, 0),
    "50 rows": ([lobby_row(index) for index in range(50)], 11),
    "nested junk in rows": (
        [
            lobby_row(1, kills=JUNK),
            lobby_row(2, gamertag=JUNK),
            lobby_row(3, team=[JUNK]),
            [JUNK],
            JUNK,
            lobby_row(4),
        ],
        1,
    ),
    "rows without a gamertag or team": (
        [{"team": "ally", "kills": 3}, {"gamertag": "Rival_1"}, {}, lobby_row(5)],
        1,
    ),
}


@pytest.mark.parametrize(
    ("lobby", "kept"), HOSTILE_LOBBIES.values(), ids=list(HOSTILE_LOBBIES.keys())
)
async def test_a_hostile_lobby_costs_only_its_own_rows(
    stub: GeminiStub, ai: GeminiAI, lobby: object, kept: int
) -> None:
    sample = load_manifest().of_kind("scoreboard")[0]
    stub.add_rule(Rule.always(Match(), TextAnswer(scoreboard_answer(lobby))))

    extraction = await ai.read_stats([screenshot()], None)

    assert extraction.raw_stats == sample.answer
    assert len(extraction.lobby) == kept
    for row in extraction.lobby:
        assert isinstance(row["gamertag"], str) and row["team"] in ("ally", "enemy")
        assert all(isinstance(value, str | int | float) for value in row.values())


async def test_a_lobby_row_of_the_player_themselves_is_left_out(
    stub: GeminiStub, ai: GeminiAI
) -> None:
    sample = load_manifest().of_kind("scoreboard")[0]
    own = {**sample.answer["player"], "team": "ally"}
    shouted = {**own, "gamertag": own["gamertag"].upper()}
    other = lobby_row(1)
    stub.add_rule(Rule.always(Match(), TextAnswer(scoreboard_answer([own, other, shouted]))))

    extraction = await ai.read_stats([screenshot()], None)

    assert extraction.raw_stats == sample.answer
    assert extraction.lobby == (other,)
