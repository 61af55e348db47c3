"""Driving the stub from another process through ``/_stub/...`` (here: httpx)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest
from google import genai
from google.genai import errors, types

from devtools.gemini_stub import GeminiStub, TextAnswer
from devtools.gemini_stub.contract import MAX_INLINE_BYTES

from .conftest import MODEL, png_bytes

pytestmark = pytest.mark.e2e


@pytest.fixture
async def control(stub: GeminiStub) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stub.base_url, timeout=5) as http:
        yield http


ANSWER_KILLS = {"answer": {"kind": "json", "value": {"kills": 12}}}
RETRY_THEN_ANSWER = {
    "match": {"prompt_contains": "scoreboard"},
    "steps": [{"answer": {"kind": "error", "status": 503}, "times": 1}, ANSWER_KILLS],
}


async def test_rule_programmed_over_http_answers_the_real_client(
    control: httpx.AsyncClient, client: genai.Client
) -> None:
    created = await control.post("/_stub/rules", json=RETRY_THEN_ANSWER)
    assert created.status_code == 201
    assert created.json() == {"ids": ["rule-1"]}

    with pytest.raises(errors.ServerError):
        await client.aio.models.generate_content(model=MODEL, contents="the scoreboard")
    response = await client.aio.models.generate_content(model=MODEL, contents="the scoreboard")

    assert response.text == '{"kills": 12}'
    rules = (await control.get("/_stub/rules")).json()["rules"]
    assert [(r["id"], r["hits"], r["exhausted"]) for r in rules] == [("rule-1", 2, False)]
    assert rules[0]["rule"]["steps"][0]["answer"]["status"] == 503


async def test_requests_and_usage_are_listed(
    control: httpx.AsyncClient, client: genai.Client
) -> None:
    await control.post("/_stub/rules", json={"match": {}, "steps": [ANSWER_KILLS]})
    image = types.Part.from_bytes(data=png_bytes(1920, 1080), mime_type="image/png")
    contents: list[types.PartUnion] = [image, "scoreboard"]
    await client.aio.models.generate_content(model=MODEL, contents=contents)

    (recorded,) = (await control.get("/_stub/requests")).json()["requests"]
    usage = (await control.get("/_stub/usage")).json()

    assert recorded["model"] == MODEL
    assert recorded["status"] == 200
    assert recorded["image_count"] == 1
    assert recorded["images"][0]["width"] == 1920
    assert recorded["texts"] == ["scoreboard"]
    assert recorded["usage"]["image_tokens"] == 6 * 258
    assert recorded["received_at"].endswith("Z") or "+00:00" in recorded["received_at"]
    assert usage["billed_requests"] == 1
    assert usage["usage"] == recorded["usage"]
    assert usage["by_model"][MODEL]["total_tokens"] == recorded["usage"]["total_tokens"]


async def test_several_rules_at_once_and_default_answer(
    control: httpx.AsyncClient, client: genai.Client
) -> None:
    rules = [
        {
            "match": {"prompt_regex": "^digest"},
            "steps": [{"answer": {"kind": "text", "text": "d"}}],
        },
        {"match": {"model": "other"}, "steps": [{"answer": {"kind": "safety_block"}}]},
    ]
    assert (await control.post("/_stub/rules", json=rules)).json() == {"ids": ["rule-1", "rule-2"]}
    answer = await control.put("/_stub/default-answer", json={"kind": "text", "text": "fallback"})
    assert answer.status_code == 204

    digest = await client.aio.models.generate_content(model=MODEL, contents="digest please")
    fallback = await client.aio.models.generate_content(model=MODEL, contents="what else")

    assert (digest.text, fallback.text) == ("d", "fallback")


async def test_reset_clears_state(control: httpx.AsyncClient, client: genai.Client) -> None:
    await control.post("/_stub/rules", json=RETRY_THEN_ANSWER)
    with pytest.raises(errors.ServerError):
        await client.aio.models.generate_content(model=MODEL, contents="scoreboard")

    assert (await control.post("/_stub/reset")).status_code == 204

    assert (await control.get("/_stub/rules")).json() == {"rules": []}
    assert (await control.get("/_stub/requests")).json() == {"requests": []}
    assert (await control.get("/_stub/usage")).json()["billed_requests"] == 0


async def test_schema_problems_are_listed(control: httpx.AsyncClient, client: genai.Client) -> None:
    await control.post(
        "/_stub/rules",
        json={"match": {}, "steps": [{"answer": {"kind": "json", "value": {"kills": "x"}}}]},
    )
    config = types.GenerateContentConfig(
        response_mime_type="application/json",
        response_json_schema={"type": "object", "properties": {"kills": {"type": "integer"}}},
    )
    with pytest.raises(errors.ServerError):
        await client.aio.models.generate_content(model=MODEL, contents="x", config=config)

    (problem,) = (await control.get("/_stub/problems")).json()["problems"]
    assert "$.kills" in problem


@pytest.mark.parametrize(
    "rule",
    [
        {"match": {}, "steps": []},
        {"match": {}, "steps": [{"answer": {"kind": "error", "status": 200}}]},
        {"match": {}, "steps": [{"answer": {"kind": "teleport"}}]},
        {"match": {"prompt_regex": "("}, "steps": [{"answer": {"kind": "text", "text": "x"}}]},
        {"match": {}, "steps": [{"answer": {"kind": "text", "text": "x"}, "times": 0}]},
        {
            "match": {},
            "steps": [
                {"answer": {"kind": "text", "text": "x"}},
                {"answer": {"kind": "text", "text": "y"}},
            ],
        },
    ],
    ids=[
        "no-steps",
        "non-error-status",
        "unknown-kind",
        "bad-regex",
        "zero-times",
        "endless-middle",
    ],
)
async def test_invalid_rules_are_refused_with_422(
    control: httpx.AsyncClient, rule: dict[str, object]
) -> None:
    refused = await control.post("/_stub/rules", json=rule)

    assert refused.status_code == 422
    assert refused.json()["detail"]
    assert (await control.get("/_stub/rules")).json() == {"rules": []}


async def test_malformed_json_is_a_400(control: httpx.AsyncClient) -> None:
    refused = await control.post(
        "/_stub/rules", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert refused.status_code == 400
    assert "invalid JSON" in refused.json()["detail"]


async def test_unknown_gemini_method_is_a_google_404(control: httpx.AsyncClient) -> None:
    response = await control.post(f"/v1beta/models/{MODEL}:embedContent", json={})

    assert response.status_code == 404
    assert response.json()["error"]["status"] == "NOT_FOUND"


async def test_api_key_as_query_parameter_is_accepted(
    control: httpx.AsyncClient, stub: GeminiStub
) -> None:
    stub.set_default_answer(TextAnswer("ok"))
    body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}

    response = await control.post(
        f"/v1/models/{MODEL}:generateContent", params={"key": stub.api_key}, json=body
    )

    assert response.status_code == 200
    assert response.json()["candidates"][0]["content"]["parts"] == [{"text": "ok"}]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "contents is not specified"),
        ({"contents": [{"role": "user", "parts": []}]}, "must not be empty"),
        ({"contents": [{"parts": [{"fileData": {}}]}]}, "only understands text and inlineData"),
        (
            {"contents": [{"parts": [{"inlineData": {"mimeType": "text/csv", "data": "YQ"}}]}]},
            "Unsupported MIME type",
        ),
    ],
)
async def test_bodies_gemini_would_refuse_are_400(
    control: httpx.AsyncClient, stub: GeminiStub, body: dict[str, object], message: str
) -> None:
    response = await control.post(
        f"/v1/models/{MODEL}:generateContent",
        headers={"x-goog-api-key": stub.api_key},
        json=body,
    )

    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert message in response.json()["error"]["message"]
    assert stub.requests[-1].status == 400


async def test_inline_data_over_the_limit_is_refused() -> None:
    # The same check as at Gemini's 100 MB, on a limit small enough to send quickly.
    data = base64.b64encode(png_bytes(64, 64)).decode()
    image = {"inlineData": {"mimeType": "image/png", "data": data}}
    async with (
        GeminiStub(max_inline_bytes=2 * len(data)) as small,
        httpx.AsyncClient(base_url=small.base_url, timeout=5) as http,
    ):
        small.set_default_answer(TextAnswer("ok"))
        url = f"/v1/models/{MODEL}:generateContent"
        headers = {"x-goog-api-key": small.api_key}

        fits = await http.post(url, headers=headers, json={"contents": [{"parts": [image] * 2}]})
        over = await http.post(url, headers=headers, json={"contents": [{"parts": [image] * 3}]})

    assert fits.status_code == 200
    assert over.status_code == 400
    assert over.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert "payload size exceeds the limit" in over.json()["error"]["message"]


def test_the_inline_limit_is_geminis() -> None:
    assert MAX_INLINE_BYTES == 100 * 1024 * 1024
