"""The real google-genai async client against the stub: answers, errors, retries, timeouts."""

from __future__ import annotations

import hashlib
import math
import time
from enum import StrEnum
from typing import Literal

import pytest
from google import genai
from google.genai import errors, types
from pydantic import BaseModel, Field

from devtools.gemini_stub import (
    ErrorAnswer,
    GeminiStub,
    JsonAnswer,
    Match,
    Rule,
    SafetyBlock,
    Step,
    TextAnswer,
)
from devtools.gemini_stub.models import DYNAMIC_THOUGHTS

from .conftest import MODEL, ClientFactory, png_bytes

pytestmark = pytest.mark.e2e

PROMPT = "Read this Black Ops 7 scoreboard."


class Reading(BaseModel):
    map: str
    kills: int = Field(ge=0)
    accuracy: float | None = None


READING = {"map": "Den", "kills": 31, "accuracy": 24.6}
# Within Gemini's JSON Schema subset (pydantic's own would add "default", which it lacks).
READING_JSON_SCHEMA = {
    "type": "object",
    "properties": {
        "map": {"type": "string"},
        "kills": {"type": "integer", "minimum": 0},
        "accuracy": {"type": ["number", "null"]},
    },
    "required": ["map", "kills"],
}


def json_config(schema: type[BaseModel] = Reading) -> types.GenerateContentConfig:
    return types.GenerateContentConfig(
        response_mime_type="application/json", response_schema=schema
    )


async def ask(
    client: genai.Client,
    *parts: types.PartUnion,
    config: types.GenerateContentConfig | None = None,
) -> types.GenerateContentResponse:
    contents: list[types.PartUnion] = list(parts) or [PROMPT]
    return await client.aio.models.generate_content(model=MODEL, contents=contents, config=config)


async def test_structured_answer_is_parsed_into_the_pydantic_schema(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(prompt_contains="scoreboard"), JsonAnswer(READING)))

    response = await client.aio.models.generate_content(
        model=MODEL, contents=PROMPT, config=json_config()
    )

    assert response.parsed == Reading(map="Den", kills=31, accuracy=24.6)
    (recorded,) = stub.requests
    assert (recorded.method, recorded.model, recorded.api_version) == (
        "generateContent",
        MODEL,
        "v1",
    )
    assert recorded.texts == (PROMPT,)
    assert recorded.generation_config["responseMimeType"] == "application/json"
    assert recorded.response_schema is not None
    assert recorded.response_schema.dialect == "gemini"
    assert recorded.response_schema.schema["properties"]["kills"]["type"] == "INTEGER"


async def test_json_schema_requests_are_validated_too(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(), JsonAnswer({"map": "Den", "kills": "many"})))
    config = types.GenerateContentConfig(
        response_mime_type="application/json",
        response_json_schema=READING_JSON_SCHEMA,
    )

    with pytest.raises(errors.ServerError) as raised:
        await client.aio.models.generate_content(model=MODEL, contents=PROMPT, config=config)

    assert raised.value.code == 500
    assert "violates_schema=True" in str(raised.value.message)
    assert stub.requests[0].response_schema is not None
    assert stub.requests[0].response_schema.dialect == "json_schema"
    assert "$.kills" in stub.problems[0]


async def test_schema_violating_answer_needs_the_flag_and_then_parses_to_none(
    stub: GeminiStub, client: genai.Client
) -> None:
    wrong_shape = {"map": "Den", "kills": -3}
    stub.add_rule(Rule.always(Match(), JsonAnswer(wrong_shape, violates_schema=True)))

    response = await ask(client, PROMPT, config=json_config())

    assert response.text is not None
    assert response.parsed is None
    assert stub.problems == ()


async def test_unflagged_schema_violation_is_a_loud_error(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(), JsonAnswer({"map": "Den"})))

    with pytest.raises(errors.ServerError, match="does not follow the request's response schema"):
        await ask(client, PROMPT, config=json_config())

    assert len(stub.problems) == 1
    assert "'kills' is a required property" in stub.problems[0]
    assert stub.usage.billed_requests == 0


async def test_flag_on_a_conforming_answer_is_reported(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(), JsonAnswer(READING, violates_schema=True)))

    with pytest.raises(errors.ServerError):
        await ask(client, PROMPT, config=json_config())

    assert "follows the response schema" in stub.problems[0]


async def test_nullable_fields_follow_gemini_nullable(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(), JsonAnswer({"map": "Den", "kills": 3, "accuracy": None})))

    response = await ask(client, PROMPT, config=json_config())

    assert response.parsed == Reading(map="Den", kills=3, accuracy=None)


async def test_full_hd_image_is_counted_as_six_tiles(
    stub: GeminiStub, client: genai.Client
) -> None:
    image = png_bytes(1920, 1080)
    stub.add_rule(
        Rule.always(Match(image_sha256=(hashlib.sha256(image).hexdigest(),)), JsonAnswer(READING))
    )
    part = types.Part.from_bytes(data=image, mime_type="image/png")

    response = await ask(client, part, PROMPT, config=json_config())

    usage = response.usage_metadata
    assert usage is not None
    answer_tokens = math.ceil(len(response.text or "") / 4)
    assert usage.prompt_token_count == 6 * 258 + math.ceil(len(PROMPT) / 4)
    assert usage.candidates_token_count == answer_tokens
    assert usage.thoughts_token_count == DYNAMIC_THOUGHTS
    assert usage.total_token_count == usage.prompt_token_count + answer_tokens + DYNAMIC_THOUGHTS
    image_detail = [d for d in usage.prompt_tokens_details or [] if d.modality == "IMAGE"]
    assert [d.token_count for d in image_detail] == [6 * 258]
    (recorded,) = stub.requests
    (seen,) = recorded.images
    assert (seen.width, seen.height, seen.mime_type) == (1920, 1080, "image/png")
    assert (seen.size_bytes, seen.sha256) == (len(image), hashlib.sha256(image).hexdigest())
    assert stub.usage.usage.image_tokens == 6 * 258
    assert stub.usage.by_model[MODEL].total_tokens == usage.total_token_count


@pytest.mark.parametrize(
    ("width", "height", "tokens"),
    [(384, 384, 258), (300, 200, 258), (385, 100, 258), (800, 800, 4 * 258), (768, 1536, 2 * 258)],
)
async def test_image_token_rule(
    stub: GeminiStub, client: genai.Client, width: int, height: int, tokens: int
) -> None:
    stub.add_rule(Rule.always(Match(), TextAnswer("ok")))
    part = types.Part.from_bytes(data=png_bytes(width, height), mime_type="image/png")

    await ask(client, part, "abcd")

    usage = stub.requests[0].usage
    assert usage is not None
    assert (usage.image_tokens, usage.text_tokens) == (tokens, 1)


async def test_429_twice_then_success_is_retried_by_the_client(
    stub: GeminiStub, make_client: ClientFactory
) -> None:
    stub.add_rule(
        Rule(
            Match(prompt_contains="scoreboard"),
            (Step(ErrorAnswer(429), times=2), Step(JsonAnswer(READING))),
        )
    )
    retrying = make_client(
        retry_options=types.HttpRetryOptions(
            attempts=3, initial_delay=0.01, max_delay=0.02, jitter=0, http_status_codes=[429, 503]
        )
    )

    response = await ask(retrying, PROMPT, config=json_config())

    assert response.parsed == Reading.model_validate(READING)
    assert [r.status for r in stub.requests] == [429, 429, 200]
    assert stub.usage.billed_requests == 1
    (state,) = stub.rules
    assert (state.hits, state.exhausted) == (3, False)


async def test_429_without_retry_options_is_a_client_error(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(), ErrorAnswer(429)))

    with pytest.raises(errors.ClientError) as raised:
        await ask(client)

    assert (raised.value.code, raised.value.status) == (429, "RESOURCE_EXHAUSTED")
    assert len(stub.requests) == 1


@pytest.mark.parametrize(("status", "name"), [(503, "UNAVAILABLE"), (500, "INTERNAL")])
async def test_server_errors_are_not_retried_by_default(
    stub: GeminiStub, client: genai.Client, status: int, name: str
) -> None:
    stub.add_rule(Rule.always(Match(), ErrorAnswer(status, "try later")))

    with pytest.raises(errors.ServerError) as raised:
        await ask(client)

    assert (raised.value.code, raised.value.status, raised.value.message) == (
        status,
        name,
        "try later",
    )
    assert [r.status for r in stub.requests] == [status]
    assert stub.usage.billed_requests == 0


async def test_latency_beyond_the_client_timeout_raises_timeout_error(
    stub: GeminiStub, make_client: ClientFactory
) -> None:
    stub.add_rule(Rule.always(Match(), JsonAnswer(READING, latency_s=5.0)))
    impatient = make_client(timeout=200)
    started = time.monotonic()

    with pytest.raises(TimeoutError) as raised:
        await ask(impatient)

    assert type(raised.value) is TimeoutError
    assert time.monotonic() - started < 2.0


async def test_latency_below_the_timeout_only_delays(
    stub: GeminiStub, make_client: ClientFactory
) -> None:
    stub.add_rule(Rule.always(Match(), TextAnswer("late but fine", latency_s=0.2)))
    started = time.monotonic()

    response = await ask(make_client(timeout=5_000))

    assert response.text == "late but fine"
    assert time.monotonic() - started >= 0.2


async def test_safety_block_gives_no_text(stub: GeminiStub, client: genai.Client) -> None:
    stub.add_rule(Rule.always(Match(prompt_regex=r"Black Ops \d"), SafetyBlock()))

    response = await client.aio.models.generate_content(model=MODEL, contents=PROMPT)

    assert response.text is None
    assert response.candidates is None
    assert response.prompt_feedback is not None
    assert response.prompt_feedback.block_reason == types.BlockedReason.SAFETY
    assert response.usage_metadata is not None
    assert response.usage_metadata.candidates_token_count == 0


async def test_non_json_text_parses_to_none(stub: GeminiStub, client: genai.Client) -> None:
    stub.add_rule(Rule.always(Match(), TextAnswer("Sorry, I can't read that image.")))

    response = await ask(client, PROMPT, config=json_config())

    assert response.text == "Sorry, I can't read that image."
    assert response.parsed is None


@pytest.mark.parametrize("api_key", ["wrong-key", ""])
async def test_requests_without_the_configured_key_are_refused(
    stub: GeminiStub, make_client: ClientFactory, api_key: str
) -> None:
    stub.add_rule(Rule.always(Match(), TextAnswer("never sent")))
    intruder = make_client(api_key=api_key or "placeholder", headers={"x-goog-api-key": api_key})

    with pytest.raises(errors.ClientError) as raised:
        await ask(intruder)

    assert (raised.value.code, raised.value.status) == (403, "PERMISSION_DENIED")
    assert [r.status for r in stub.requests] == [403]
    assert stub.rules[0].hits == 0


async def test_v1beta_path_works(stub: GeminiStub, make_client: ClientFactory) -> None:
    stub.add_rule(Rule.always(Match(model=MODEL), TextAnswer("beta")))

    response = await ask(make_client(api_version="v1beta"))

    assert response.text == "beta"
    assert stub.requests[0].api_version == "v1beta"


async def test_unprogrammed_request_fails_loudly(stub: GeminiStub, client: genai.Client) -> None:
    with pytest.raises(errors.ServerError, match="no rule matches") as raised:
        await ask(client)

    assert raised.value.code == 501
    assert stub.requests[0].matched_rule is None


async def test_configured_default_answer_replaces_the_error(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.set_default_answer(TextAnswer("default"))

    response = await ask(client)

    assert response.text == "default"


async def test_newest_matching_rule_wins_and_exhausted_rules_fall_through(
    stub: GeminiStub, client: genai.Client
) -> None:
    broad = stub.add_rule(Rule.always(Match(), TextAnswer("broad")))
    narrow = stub.add_rule(
        Rule(Match(prompt_contains="special"), (Step(TextAnswer("narrow"), times=1),))
    )

    answers = [(await ask(client, "special case")).text for _ in range(2)]
    other = await ask(client, "anything else")

    assert answers == ["narrow", "broad"]
    assert other.text == "broad"
    assert [r.matched_rule for r in stub.requests] == [narrow, broad, broad]
    assert [s.exhausted for s in stub.rules] == [False, True]


async def test_other_model_does_not_match(stub: GeminiStub, client: genai.Client) -> None:
    stub.add_rule(Rule.always(Match(model="gemini-2.5-pro"), TextAnswer("pro only")))

    with pytest.raises(errors.ServerError):
        await ask(client)


async def test_system_instruction_is_recorded_and_matchable(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(prompt_contains="You are a coach"), TextAnswer("coached")))
    config = types.GenerateContentConfig(system_instruction="You are a coach.")

    response = await ask(client, "How did I do?", config=config)

    assert response.text == "coached"
    assert stub.requests[0].system_texts == ("You are a coach.",)
    assert stub.requests[0].texts == ("How did I do?",)


async def test_unreadable_image_is_refused_like_gemini(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(), TextAnswer("never")))
    part = types.Part.from_bytes(data=b"not a png at all", mime_type="image/png")

    with pytest.raises(errors.ClientError) as raised:
        await ask(client, part, PROMPT)

    assert (raised.value.code, raised.value.status) == (400, "INVALID_ARGUMENT")
    assert stub.requests[0].error is not None


async def test_count_tokens_uses_the_same_accounting(
    stub: GeminiStub, client: genai.Client
) -> None:
    part = types.Part.from_bytes(data=png_bytes(1920, 1080), mime_type="image/png")

    contents: list[types.PartUnion] = [part, "abcdefgh"]
    counted = await client.aio.models.count_tokens(model=MODEL, contents=contents)

    assert counted.total_tokens == 6 * 258 + 2
    assert stub.requests[0].method == "countTokens"
    assert stub.usage.billed_requests == 0


async def test_usage_totals_add_up_per_model(stub: GeminiStub, client: genai.Client) -> None:
    stub.add_rule(Rule.always(Match(), TextAnswer("12345678")))

    await ask(client, "abcd")
    await client.aio.models.generate_content(model="gemini-2.5-pro", contents="abcdefgh")

    totals = stub.usage
    assert totals.billed_requests == 2
    # Gemini 2.5 thinks dynamically unless told otherwise.
    assert totals.by_model[MODEL].total_tokens == 1 + 2 + DYNAMIC_THOUGHTS
    assert totals.by_model["gemini-2.5-pro"].total_tokens == 2 + 2 + DYNAMIC_THOUGHTS
    assert totals.usage.total_tokens == 7 + 2 * DYNAMIC_THOUGHTS
    assert totals.usage.thoughts_tokens == 2 * DYNAMIC_THOUGHTS


async def test_reset_forgets_everything(stub: GeminiStub, client: genai.Client) -> None:
    stub.add_rule(Rule.always(Match(), TextAnswer("x")))
    stub.set_default_answer(TextAnswer("default"))
    await ask(client)

    stub.reset()

    assert (stub.requests, stub.rules, stub.usage.billed_requests) == ((), [], 0)
    with pytest.raises(errors.ServerError):
        await ask(client)


class Outcome(StrEnum):
    win = "win"
    loss = "loss"


class WeaponRow(BaseModel):
    name: str
    accuracy: float = Field(ge=0, le=100)


class RichReading(BaseModel):
    """Exercises every translation of Gemini's schema dialect the app is likely to hit."""

    mode: Literal["hardpoint", "overload"]
    result: Outcome
    previous: Outcome | None = None
    weapons: list[WeaponRow]
    score: int | float
    extras: dict[str, int] | None = None


RICH = {
    "mode": "overload",
    "result": "win",
    "previous": None,
    "weapons": [{"name": "Kogot-7", "accuracy": 24.6}],
    "score": 12.5,
    "extras": {"medals": 3},
}


async def test_rich_gemini_schema_accepts_a_conforming_answer(
    stub: GeminiStub, client: genai.Client
) -> None:
    stub.add_rule(Rule.always(Match(), JsonAnswer(RICH)))

    response = await ask(client, config=json_config(RichReading))

    assert response.parsed == RichReading.model_validate(RICH)
    assert stub.problems == ()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"mode": "domination"}, "$.mode"),
        ({"previous": "draw"}, "$.previous"),
        ({"weapons": [{"name": "Kogot-7", "accuracy": 140}]}, "$.weapons[0].accuracy"),
        ({"score": "lots"}, "$.score"),
        ({"extras": {"medals": "three"}}, "$.extras.medals"),
    ],
)
async def test_rich_gemini_schema_catches_each_violation(
    stub: GeminiStub, client: genai.Client, change: dict[str, object], where: str
) -> None:
    stub.add_rule(Rule.always(Match(), JsonAnswer(RICH | change)))

    with pytest.raises(errors.ServerError):
        await ask(client, config=json_config(RichReading))

    (problem,) = stub.problems
    assert f"{where}:" in problem
