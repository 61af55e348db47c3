"""Every error is problem details (RFC 9457), and no exception text leaks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.api.deps import get_runtime
from app.api.errors import install_problem_handlers
from app.api.schemas.problems import PROBLEM_TYPES
from app.core.ask.errors import PipelineRefused
from app.core.errors import (
    AIUnavailable,
    Conflict,
    CooldownActive,
    DomainError,
    DuplicateMatch,
    Forbidden,
    InvalidAttachment,
    NotFound,
    RefusedQuestion,
)
from app.core.game.errors import InvalidMatchStats, UnknownStat
from app.core.handlers.digests import NoDigestChannel
from app.core.handlers.guilds import InvalidConfig
from app.core.matches import InvalidCursor
from tests.e2e.api.conftest import SignIn

PROBLEM = "application/problem+json"
LEAK = "internal detail 5f1e"
LOGIN_PATHS = "/api/v1/auth/"

DOMAIN_CASES: list[tuple[DomainError, int, str]] = [
    (NotFound(), 404, "not-found"),
    (Forbidden(), 403, "forbidden"),
    (Conflict(), 409, "conflict"),
    (DuplicateMatch("abc"), 409, "conflict"),
    (NoDigestChannel(), 409, "conflict"),
    (InvalidMatchStats(["player.kills: too many"]), 422, "invalid-match-stats"),
    (InvalidConfig(), 422, "invalid-input"),
    (InvalidCursor(), 422, "invalid-input"),
    (UnknownStat("plants", ["kd"]), 422, "invalid-input"),
    (RefusedQuestion(), 422, "refused-question"),
    (PipelineRefused("no $lookup"), 422, "refused-question"),
    (CooldownActive(7), 429, "rate-limited"),
    (AIUnavailable(), 503, "ai-unavailable"),
    (InvalidAttachment(), 400, "bad-request"),
]


def failing_app(error: BaseException) -> FastAPI:
    """A bare app with the problem handlers and one route that raises `error`."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise error

    return app


async def get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        return await client.get(path)


def assert_problem(response: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"] == type_ and body["title"]
    return body


@pytest.mark.parametrize(("error", "status", "slug"), DOMAIN_CASES)
async def test_domain_errors_become_their_problem(
    error: DomainError, status: int, slug: str
) -> None:
    body = assert_problem(await get(failing_app(error), "/boom"), status, f"/problems/{slug}")
    assert body["detail"] == error.user_message
    assert body["instance"] == "/boom"


async def test_a_rate_limit_says_when_to_come_back() -> None:
    response = await get(failing_app(CooldownActive(7)), "/boom")
    assert response.headers["retry-after"] == "7"


async def test_impossible_stats_list_each_problem_by_field() -> None:
    error = InvalidMatchStats(["player.kills: 500 is too many", "team_score: above 250"])
    body = assert_problem(
        await get(failing_app(error), "/boom"), 422, "/problems/invalid-match-stats"
    )
    assert body["errors"] == [
        {"field": "player.kills", "message": "500 is too many"},
        {"field": "team_score", "message": "above 250"},
    ]


@pytest.fixture
def error_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.ERROR):
        yield caplog


async def test_a_bug_is_a_generic_500_and_one_log_line_with_the_traceback(
    error_log: pytest.LogCaptureFixture,
) -> None:
    response = await get(failing_app(RuntimeError(LEAK)), "/boom")

    body = assert_problem(response, 500, "/problems/internal")
    assert LEAK not in response.text and "RuntimeError" not in response.text
    assert "logged" in body["detail"]
    records = [r for r in error_log.records if r.levelno >= logging.ERROR]
    assert len(records) == 1
    assert records[0].exc_info is not None and LEAK in str(records[0].exc_info[1])


async def test_the_real_app_answers_a_failure_with_a_problem_too(
    app: FastAPI,
    client: httpx.AsyncClient,
    sign_in: SignIn,
    error_log: pytest.LogCaptureFixture,
) -> None:
    def broken_runtime() -> None:
        raise RuntimeError(LEAK)

    # Signed in: the failure is past authentication, which needs no runtime of its own.
    headers = await sign_in(4241)
    app.dependency_overrides[get_runtime] = broken_runtime
    try:
        response = await client.get("/api/v1/stats/summary", headers=headers)
    finally:
        app.dependency_overrides.clear()

    assert_problem(response, 500, "/problems/internal")
    assert LEAK not in response.text
    assert len([r for r in error_log.records if r.exc_info]) == 1


async def test_an_unknown_path_and_a_wrong_method_are_plain_http_problems(
    client: httpx.AsyncClient,
) -> None:
    missing = assert_problem(await client.get("/api/v1/nothing-here"), 404, "about:blank")
    assert missing["title"] == "Not Found"
    assert_problem(await client.put("/api/v1/stats/summary"), 405, "about:blank")


async def test_no_credentials_is_a_401_problem_with_a_challenge(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/matches")
    assert_problem(response, 401, "about:blank")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_validation_errors_name_each_field_but_never_echo_the_value(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    headers = await sign_in(4242)
    sent = "<script>alert(1)</script>"
    response = await client.get(
        "/api/v1/matches", params={"limit": sent, "mode": "capture-the-flag"}, headers=headers
    )

    body = assert_problem(response, 422, "/problems/validation")
    assert {e["field"] for e in body["errors"]} == {"query.limit", "query.mode"}
    assert all(e["message"] for e in body["errors"])
    assert sent not in response.text and "capture-the-flag" not in response.text


async def test_a_body_that_is_not_json_is_a_validation_problem(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    headers = {**(await sign_in(4243)), "content-type": "application/json"}
    response = await client.post("/api/v1/ask", content=b"{not json", headers=headers)
    assert_problem(response, 422, "/problems/validation")


async def test_the_openapi_documents_problem_details_for_every_error(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()

    problem = schema["components"]["schemas"]["Problem"]
    for kind in PROBLEM_TYPES:
        assert kind.uri in problem["properties"]["type"]["description"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    api_operations = [
        (path, operation)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1")
        for operation in item.values()
    ]
    assert api_operations
    for path, operation in api_operations:
        errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
        if not path.startswith(LOGIN_PATHS):  # logging in is what answers 401
            assert {"401", "422"} <= set(errors), operation["operationId"]
        for response in errors.values():
            assert list(response["content"]) == [PROBLEM]
            assert response["content"][PROBLEM]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }
    # An error whose body is not a problem keeps its own schema.
    not_ready = schema["paths"]["/readyz"]["get"]["responses"]["503"]["content"]
    assert not_ready == {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}
