"""``/_stub/...``: a small JSON API so another process can program and read the stub.

| method | path                  | body / answer                                   |
|--------|-----------------------|-------------------------------------------------|
| POST   | /_stub/rules          | a rule or a list of rules → ``{"ids": [...]}``  |
| GET    | /_stub/rules          | ``{"rules": [{id, hits, exhausted, rule}]}``    |
| PUT    | /_stub/default-answer | an answer, given when no rule matches           |
| GET    | /_stub/requests       | ``{"requests": [...]}`` in arrival order        |
| GET    | /_stub/usage          | billed requests and tokens, overall and per model |
| GET    | /_stub/problems       | ``{"problems": [...]}``: misprogrammed answers  |
| POST   | /_stub/reset          | forget rules, requests, usage and problems      |
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from pydantic import TypeAdapter, ValidationError

from devtools.gemini_stub.prompt import JsonObject
from devtools.gemini_stub.rules import ANSWER_ADAPTER, RULE_ADAPTER, RULES_ADAPTER, Rule
from devtools.gemini_stub.state import RecordedRequest, StubState
from devtools.gemini_stub.tokens import Usage, UsageTotals

_REQUEST_ADAPTER: TypeAdapter[RecordedRequest] = TypeAdapter(RecordedRequest)


def usage_json(usage: Usage) -> JsonObject:
    return {
        "text_tokens": usage.text_tokens,
        "image_tokens": usage.image_tokens,
        "prompt_tokens": usage.prompt_tokens,
        "candidates_tokens": usage.candidates_tokens,
        "thoughts_tokens": usage.thoughts_tokens,
        "total_tokens": usage.total_tokens,
    }


def usage_totals_json(totals: UsageTotals) -> JsonObject:
    return {
        "billed_requests": totals.billed_requests,
        "usage": usage_json(totals.usage),
        "by_model": {model: usage_json(usage) for model, usage in totals.by_model.items()},
    }


def recorded_request_json(request: RecordedRequest) -> JsonObject:
    encoded: JsonObject = _REQUEST_ADAPTER.dump_python(request, mode="json")
    encoded["usage"] = None if request.usage is None else usage_json(request.usage)
    encoded["image_count"] = request.image_count
    return encoded


class ControlApi:
    """Routes that drive a ``StubState`` over HTTP."""

    def __init__(self, state: StubState) -> None:
        self._state = state

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/_stub/rules", self._add_rules),
            web.get("/_stub/rules", self._list_rules),
            web.put("/_stub/default-answer", self._set_default_answer),
            web.get("/_stub/requests", self._list_requests),
            web.get("/_stub/usage", self._usage),
            web.get("/_stub/problems", self._problems),
            web.post("/_stub/reset", self._reset),
        ]

    async def _add_rules(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        rules: list[Rule] = (
            RULES_ADAPTER.validate_python(body)
            if isinstance(body, list)
            else [RULE_ADAPTER.validate_python(body)]
        )
        ids = [self._state.add_rule(rule) for rule in rules]
        return web.json_response({"ids": ids}, status=201)

    async def _list_rules(self, request: web.Request) -> web.Response:
        rules = [
            {
                "id": state.id,
                "hits": state.hits,
                "exhausted": state.exhausted,
                "rule": RULE_ADAPTER.dump_python(state.rule, mode="json"),
            }
            for state in self._state.rule_states()
        ]
        return web.json_response({"rules": rules})

    async def _set_default_answer(self, request: web.Request) -> web.Response:
        self._state.set_default_answer(ANSWER_ADAPTER.validate_python(await _json_body(request)))
        return web.Response(status=204)

    async def _list_requests(self, request: web.Request) -> web.Response:
        recorded = [recorded_request_json(entry) for entry in self._state.requests]
        return web.json_response({"requests": recorded})

    async def _usage(self, request: web.Request) -> web.Response:
        return web.json_response(usage_totals_json(self._state.usage))

    async def _problems(self, request: web.Request) -> web.Response:
        return web.json_response({"problems": list(self._state.problems)})

    async def _reset(self, request: web.Request) -> web.Response:
        self._state.reset()
        return web.Response(status=204)


async def _json_body(request: web.Request) -> Any:
    try:
        return await request.json()
    except json.JSONDecodeError as error:
        raise _bad_request(f"invalid JSON: {error}") from error


def _bad_request(detail: object) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"detail": detail}), content_type="application/json")


@web.middleware
async def validation_errors_as_422(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn a control-API body that does not validate into a 422 listing why."""
    try:
        return await handler(request)
    except ValidationError as error:
        detail = error.errors(include_url=False, include_context=False)
        return web.json_response({"detail": detail}, status=422)
