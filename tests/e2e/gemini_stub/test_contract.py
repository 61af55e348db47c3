"""The stub refuses, with Gemini's 400, every request Gemini refuses (one test per rule),
and accepts both field spellings Google's JSON parser accepts."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from google import genai
from google.genai import types

from devtools.gemini_stub import GeminiStub, TextAnswer
from devtools.gemini_stub.models import DYNAMIC_THOUGHTS, THOUGHTS_PER_LEVEL

from .conftest import png_bytes

pytestmark = pytest.mark.e2e

GEMINI_3 = "gemini-3.5-flash-lite"
NO_MINIMAL = "gemini-3.8-flash"
GEMINI_2_5 = "gemini-2.5-flash"
HELLO = [{"role": "user", "parts": [{"text": "hello"}]}]


@pytest.fixture
async def http(stub: GeminiStub) -> AsyncIterator[httpx.AsyncClient]:
    stub.set_default_answer(TextAnswer("ok"))
    async with httpx.AsyncClient(
        base_url=stub.base_url, headers={"x-goog-api-key": stub.api_key}, timeout=5
    ) as client:
        yield client


async def generate(http: httpx.AsyncClient, model: str, body: dict[str, Any]) -> httpx.Response:
    return await http.post(f"/v1/models/{model}:generateContent", json=body)


def refused(response: httpx.Response, message: str) -> bool:
    error = response.json()["error"]
    return (
        response.status_code == 400
        and error["status"] == "INVALID_ARGUMENT"
        and error["code"] == 400
        and message in error["message"]
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"contents": HELLO, "temprature": 0.2}, 'Unknown name "temprature": Cannot find field'),
        (
            {"contents": HELLO, "generationConfig": {"maxOutputToken": 10}},
            "Unknown name \"maxOutputToken\" at 'generation_config'",
        ),
        (
            {"contents": HELLO, "generationConfig": {"thinkingConfig": {"effort": "LOW"}}},
            "Unknown name \"effort\" at 'generation_config.thinking_config'",
        ),
        (
            {"contents": [{"role": "user", "parts": [{"txt": "hello"}]}]},
            "Unknown name \"txt\" at 'contents.parts'",
        ),
        (
            {
                "contents": HELLO,
                "generationConfig": {"responseSchema": {"type": "OBJECT", "maxLenght": 3}},
            },
            'Unknown name "maxLenght"',
        ),
    ],
)
async def test_unknown_fields_are_refused(
    http: httpx.AsyncClient, stub: GeminiStub, body: dict[str, Any], message: str
) -> None:
    response = await generate(http, GEMINI_3, body)

    assert refused(response, message), response.text
    assert stub.requests[-1].status == 400
    assert stub.usage.billed_requests == 0


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "string", "maxLength": 120}, "$: 'maxLength' is not a supported keyword"),
        (
            {"type": "object", "properties": {"name": {"type": "string", "pattern": "^a"}}},
            "$.properties.name: 'pattern' is not a supported keyword",
        ),
        (
            {"type": "array", "items": {"type": "integer", "default": 0}},
            "$.items: 'default' is not a supported keyword",
        ),
        (
            {"$defs": {"a": {"type": "string"}}, "$ref": "#/$defs/a", "description": "x"},
            "only '$' keywords may stand beside '$ref'",
        ),
    ],
)
async def test_json_schema_keywords_outside_geminis_list_are_refused(
    http: httpx.AsyncClient, schema: dict[str, Any], message: str
) -> None:
    config = {"responseMimeType": "application/json", "responseJsonSchema": schema}

    response = await generate(http, GEMINI_3, {"contents": HELLO, "generationConfig": config})

    assert refused(response, message), response.text


async def test_every_documented_json_schema_keyword_is_accepted(http: httpx.AsyncClient) -> None:
    schema = {
        "$id": "reading",
        "$anchor": "top",
        "title": "Reading",
        "description": "One reading",
        "type": "object",
        "$defs": {"mode": {"type": "string", "enum": ["a", "b"]}},
        "properties": {
            "mode": {"$ref": "#/$defs/mode"},
            "when": {"type": "string", "format": "date-time"},
            "kills": {"type": "integer", "minimum": 0, "maximum": 200},
            "pair": {"type": "array", "prefixItems": [{"type": "string"}], "minItems": 1},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
            "either": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "one": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        },
        "additionalProperties": False,
        "required": ["mode"],
        "propertyOrdering": ["mode", "kills"],
    }
    config = {"responseMimeType": "application/json", "responseJsonSchema": schema}

    response = await generate(http, GEMINI_3, {"contents": HELLO, "generationConfig": config})

    assert response.status_code == 200, response.text


async def test_both_thinking_controls_at_once_are_refused(http: httpx.AsyncClient) -> None:
    thinking = {"thinkingLevel": "LOW", "thinkingBudget": 128}

    response = await generate(
        http, GEMINI_3, {"contents": HELLO, "generationConfig": {"thinkingConfig": thinking}}
    )

    assert refused(response, "cannot use both thinking_level and the legacy thinking_budget")


@pytest.mark.parametrize(
    ("model", "level", "message"),
    [
        (GEMINI_2_5, "LOW", "not supported for gemini-2.5-flash (supported: none"),
        (NO_MINIMAL, "MINIMAL", "not supported for gemini-3.8-flash (supported: LOW, MEDIUM"),
        (GEMINI_3, "EXTREME", "Invalid value at 'generation_config.thinking_config'"),
    ],
)
async def test_a_thinking_level_the_model_lacks_is_refused(
    http: httpx.AsyncClient, model: str, level: str, message: str
) -> None:
    config = {"thinkingConfig": {"thinkingLevel": level}}

    response = await generate(http, model, {"contents": HELLO, "generationConfig": config})

    assert refused(response, message), response.text


async def test_turning_thinking_off_on_a_model_that_always_thinks_is_refused(
    http: httpx.AsyncClient,
) -> None:
    config = {"thinkingConfig": {"thinkingBudget": 0}}

    response = await generate(
        http, "gemini-2.5-pro", {"contents": HELLO, "generationConfig": config}
    )

    assert refused(response, "This model only works in thinking mode")


async def test_an_unknown_media_resolution_is_refused(http: httpx.AsyncClient) -> None:
    config = {"mediaResolution": "MEDIA_RESOLUTION_ULTRA"}

    response = await generate(http, GEMINI_3, {"contents": HELLO, "generationConfig": config})

    assert refused(response, "generation_config.media_resolution")


async def test_an_unknown_model_is_not_found(http: httpx.AsyncClient) -> None:
    response = await generate(http, "gemini-test-flash", {"contents": HELLO})

    assert response.status_code == 404
    assert response.json()["error"]["status"] == "NOT_FOUND"
    assert "models/gemini-test-flash is not found for API version v1" in response.text


async def test_camel_case_and_snake_case_spellings_are_the_same_request(
    http: httpx.AsyncClient, stub: GeminiStub
) -> None:
    image = base64.b64encode(png_bytes(40, 30)).decode()
    camel = {
        "contents": [
            {"role": "user", "parts": [{"inlineData": {"mimeType": "image/png", "data": image}}]}
        ],
        "systemInstruction": {"parts": [{"text": "read"}]},
        "generationConfig": {
            "responseMimeType": "application/json",
            "thinkingConfig": {"thinkingLevel": "LOW"},
            "mediaResolution": "MEDIA_RESOLUTION_LOW",
        },
    }
    snake = {
        "contents": [
            {"role": "user", "parts": [{"inline_data": {"mime_type": "image/png", "data": image}}]}
        ],
        "system_instruction": {"parts": [{"text": "read"}]},
        "generation_config": {
            "response_mime_type": "application/json",
            "thinking_config": {"thinking_level": "LOW"},
            "media_resolution": "MEDIA_RESOLUTION_LOW",
        },
    }

    responses = [await generate(http, GEMINI_3, body) for body in (camel, snake)]

    assert [response.status_code for response in responses] == [200, 200]
    first, second = stub.requests
    assert first.generation_config == second.generation_config == camel["generationConfig"]
    assert first.usage == second.usage
    assert first.system_texts == second.system_texts == ("read",)


async def test_google_genai_sends_thinking_config_in_snake_case_and_it_is_accepted(
    stub: GeminiStub, make_client: Any
) -> None:
    stub.set_default_answer(TextAnswer("ok"))
    client: genai.Client = make_client()
    config = types.GenerateContentConfig(
        thinking_config=types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW)
    )

    response = await client.aio.models.generate_content(
        model=GEMINI_3, contents="hello", config=config
    )

    assert response.usage_metadata is not None
    assert response.usage_metadata.thoughts_token_count == THOUGHTS_PER_LEVEL["LOW"]
    assert stub.requests[0].generation_config["thinkingConfig"] == {"thinkingLevel": "LOW"}


@pytest.mark.parametrize(
    ("model", "thinking", "thoughts"),
    [
        (GEMINI_3, None, 0),  # 3.5 Flash-Lite thinks at MINIMAL unless told
        (GEMINI_3, {"thinkingLevel": "MINIMAL"}, 0),
        (GEMINI_3, {"thinkingLevel": "HIGH"}, THOUGHTS_PER_LEVEL["HIGH"]),
        (NO_MINIMAL, None, THOUGHTS_PER_LEVEL["MEDIUM"]),  # 3.8 Flash: MEDIUM by default
        (NO_MINIMAL, {"thinkingLevel": "LOW"}, THOUGHTS_PER_LEVEL["LOW"]),
        (GEMINI_2_5, None, DYNAMIC_THOUGHTS),
        (GEMINI_2_5, {"thinkingBudget": 0}, 0),
        (GEMINI_2_5, {"thinkingBudget": 100}, 100),
        (GEMINI_2_5, {"thinkingBudget": -1}, DYNAMIC_THOUGHTS),
    ],
)
async def test_thoughts_token_count_follows_the_thinking_setting(
    http: httpx.AsyncClient,
    stub: GeminiStub,
    model: str,
    thinking: dict[str, object] | None,
    thoughts: int,
) -> None:
    body: dict[str, Any] = {"contents": HELLO}
    if thinking is not None:
        body["generationConfig"] = {"thinkingConfig": thinking}

    response = await generate(http, model, body)

    metadata = response.json()["usageMetadata"]
    assert metadata.get("thoughtsTokenCount", 0) == thoughts
    assert metadata["totalTokenCount"] == (
        metadata["promptTokenCount"] + metadata["candidatesTokenCount"] + thoughts
    )
    assert stub.usage.usage.thoughts_tokens == thoughts


@pytest.mark.parametrize(
    ("model", "resolution", "tokens"),
    [
        (GEMINI_3, "MEDIA_RESOLUTION_LOW", 280),
        (GEMINI_3, "MEDIA_RESOLUTION_MEDIUM", 560),
        (GEMINI_3, "MEDIA_RESOLUTION_HIGH", 1120),
        (GEMINI_3, None, 1120),
        (GEMINI_2_5, "MEDIA_RESOLUTION_LOW", 6 * 258),  # 2.5: the tiles decide
        (GEMINI_2_5, None, 6 * 258),
    ],
)
async def test_image_tokens_follow_the_media_resolution_on_gemini_3(
    http: httpx.AsyncClient, stub: GeminiStub, model: str, resolution: str | None, tokens: int
) -> None:
    image = base64.b64encode(png_bytes(1920, 1080)).decode()
    body: dict[str, Any] = {
        "contents": [{"parts": [{"inlineData": {"mimeType": "image/png", "data": image}}]}]
    }
    if resolution is not None:
        body["generationConfig"] = {"mediaResolution": resolution}

    response = await generate(http, model, body)

    details = response.json()["usageMetadata"]["promptTokensDetails"]
    assert [d["tokenCount"] for d in details if d["modality"] == "IMAGE"] == [tokens]
    (recorded,) = stub.requests
    assert recorded.usage is not None
    assert recorded.usage.image_tokens == tokens
