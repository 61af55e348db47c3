"""The Gemini endpoints the app uses: ``generateContent`` and ``countTokens``."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from dataclasses import dataclass, replace

from aiohttp import web

from devtools.gemini_stub import contract
from devtools.gemini_stub.models import MODELS, StubModel
from devtools.gemini_stub.prompt import InvalidRequest, JsonObject, Prompt, parse_prompt
from devtools.gemini_stub.responses import (
    blocked_body,
    candidate_body,
    count_tokens_body,
    google_error,
)
from devtools.gemini_stub.rules import Answer, ErrorAnswer, JsonAnswer, SafetyBlock, TextAnswer
from devtools.gemini_stub.schema import schema_violations
from devtools.gemini_stub.state import Call, StubState
from devtools.gemini_stub.tokens import Usage, prompt_usage, text_tokens

logger = logging.getLogger(__name__)

API_KEY_HEADER = "x-goog-api-key"


def server_max_request_bytes(max_inline_bytes: int) -> int:
    """What aiohttp reads at most: more than the inline limit, so that the refusal of a
    request over it is Google's 400, not aiohttp's 413."""
    return 2 * max_inline_bytes + 1024 * 1024


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class _Outcome:
    status: int
    body: JsonObject
    usage: Usage | None = None
    error: str | None = None


def error_response(status: int, message: str | None = None) -> web.Response:
    return web.json_response(google_error(status, message), status=status)


class GeminiEndpoints:
    """Answers Gemini API calls from the programmed rules and records each one."""

    def __init__(
        self,
        state: StubState,
        api_key: str,
        max_inline_bytes: int = contract.MAX_INLINE_BYTES,
    ) -> None:
        self._state = state
        self._api_key = api_key
        self._max_inline_bytes = max_inline_bytes

    def routes(self) -> list[web.RouteDef]:
        return [web.post(r"/{version:v1|v1beta}/models/{model:[^/:]+}:{action}", self._dispatch)]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        action = request.match_info["action"]
        if action not in ("generateContent", "countTokens"):
            return error_response(404, f"Method not found: {action}")
        call = self._state.start_call(
            action, request.match_info["model"], request.match_info["version"]
        )
        try:
            self._check_api_key(request)
            model = _served_model(call)
            body = _unwrap(await _read_json(request))
            prompt = self._parse(body, model)
        except _Refused as refused:
            self._state.record(call.recorded(status=refused.status, error=refused.message))
            return error_response(refused.status, refused.message)
        if action == "countTokens":
            return self._count_tokens(call, prompt, model)
        return await self._generate(call, prompt, model)

    def _parse(self, body: object, model: StubModel) -> Prompt:
        try:
            request = contract.normalized(body)
            contract.check(request, model, self._max_inline_bytes)
            return parse_prompt(request)
        except InvalidRequest as error:
            raise _Refused(400, str(error)) from error

    def _check_api_key(self, request: web.Request) -> None:
        given = request.headers.get(API_KEY_HEADER) or request.query.get("key")
        if not given:
            raise _Refused(403, "Method doesn't allow unregistered callers. Please use an API key.")
        if not hmac.compare_digest(given.encode(), self._api_key.encode()):
            raise _Refused(403, "API key not valid. Please pass a valid API key.")

    def _count_tokens(self, call: Call, prompt: Prompt, model: StubModel) -> web.Response:
        usage = prompt_usage(prompt, model)
        outcome = _Outcome(200, count_tokens_body(usage), usage)
        self._record(call, prompt, outcome, matched_rule=None)
        return web.json_response(outcome.body)

    async def _generate(self, call: Call, prompt: Prompt, model: StubModel) -> web.Response:
        rule_id, answer = self._state.rules.choose(prompt, call.model)
        if rule_id is None:
            logger.warning("Gemini stub: unmatched request, prompt starts %r", prompt.all_text[:80])
        outcome = self._outcome(answer, prompt, model)
        self._record(call, prompt, outcome, matched_rule=rule_id)
        if outcome.usage is not None:
            self._state.bill(call.model, outcome.usage)
        await asyncio.sleep(answer.latency_s)
        return web.json_response(outcome.body, status=outcome.status)

    def _outcome(self, answer: Answer, prompt: Prompt, model: StubModel) -> _Outcome:
        match answer:
            case JsonAnswer():
                return self._json_outcome(answer, prompt, model)
            case TextAnswer(text=text):
                return _text_outcome(text, prompt, model)
            case SafetyBlock(reason=reason):
                usage = prompt_usage(prompt, model)
                return _Outcome(200, blocked_body(reason, usage, model.name), usage)
            case ErrorAnswer(status=status, message=message):
                return _Outcome(status, google_error(status, message))

    def _json_outcome(self, answer: JsonAnswer, prompt: Prompt, model: StubModel) -> _Outcome:
        schema = prompt.response_schema
        answer = replace(answer, value=answer.answered(schema.schema if schema else None))
        problem = _schema_problem(answer, prompt)
        if problem is not None:
            self._state.report_problem(problem)
            return _Outcome(500, google_error(500, f"Gemini stub: {problem}"), error=problem)
        return _text_outcome(json.dumps(answer.value, ensure_ascii=False), prompt, model)

    def _record(
        self, call: Call, prompt: Prompt, outcome: _Outcome, matched_rule: str | None
    ) -> None:
        self._state.record(
            call.recorded(
                status=outcome.status,
                prompt=prompt,
                matched_rule=matched_rule,
                usage=outcome.usage,
                error=outcome.error,
            )
        )


def _text_outcome(text: str, prompt: Prompt, model: StubModel) -> _Outcome:
    usage = replace(
        prompt_usage(prompt, model),
        candidates_tokens=text_tokens([text]),
        thoughts_tokens=model.thoughts(prompt.thinking_config),
    )
    return _Outcome(200, candidate_body(text, usage, model.name), usage)


def _served_model(call: Call) -> StubModel:
    model = MODELS.get(call.model)
    if model is None:
        raise _Refused(
            404,
            f"models/{call.model} is not found for API version {call.api_version}, or is not "
            "supported for generateContent.",
        )
    return model


def _schema_problem(answer: JsonAnswer, prompt: Prompt) -> str | None:
    schema = prompt.response_schema
    if schema is None:
        return None
    violations = schema_violations(answer.value, schema)
    if violations and not answer.violates_schema:
        return (
            "the programmed answer does not follow the request's response schema ("
            + "; ".join(violations)
            + "); pass violates_schema=True if that is the point of the test"
        )
    if not violations and answer.violates_schema:
        return "the answer is marked violates_schema=True but follows the response schema"
    return None


async def _read_json(request: web.Request) -> object:
    raw = await request.read()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _Refused(400, f"Invalid JSON payload received. {error}") from error


def _unwrap(body: object) -> object:
    """``countTokens`` may wrap its contents in a ``generateContentRequest``; parse either way."""
    if isinstance(body, dict) and "contents" not in body and "generateContentRequest" in body:
        return body["generateContentRequest"]
    return body
