"""Every error as problem details (RFC 9457, `application/problem+json`).

Domain errors carry a message meant for users and become 4xx/503 problems. Validation errors
list each field and what is wrong with it, never the value sent. Anything else is a bug or an
outage: one log line with its traceback, and a generic 500 that tells the caller nothing of it.

Pages meant for a browser (the dashboard) get the same problem as a readable HTML page: the
`ErrorPages` given to `install_problem_handlers` say which paths those are and render them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.schemas.problems import (
    AI_UNAVAILABLE,
    BAD_REQUEST,
    CONFLICT,
    DISCORD_UNAVAILABLE,
    FORBIDDEN,
    INTERNAL,
    INVALID_INPUT,
    INVALID_MATCH_STATS,
    NOT_FOUND,
    PLAIN_HTTP,
    PROBLEM_MEDIA_TYPE,
    RATE_LIMITED,
    REFUSED_QUESTION,
    VALIDATION,
    FieldProblem,
    Problem,
    ProblemType,
)
from app.core.errors import (
    AIUnavailable,
    ChannelOutsideServer,
    ChannelsUnverifiable,
    Conflict,
    CooldownActive,
    DomainError,
    Forbidden,
    NotFound,
    RefusedQuestion,
)
from app.core.game.errors import InvalidMatchStats, UnknownStat
from app.core.game.problems import describe_request_field
from app.core.handlers.digests import NoDigestChannel
from app.core.handlers.guilds import InvalidConfig
from app.core.i18n import N_, _
from app.core.links import InvalidGamertag
from app.core.matches import InvalidCursor
from app.core.seasons import InvalidSeasonName

logger = logging.getLogger(__name__)

GENERIC_DETAIL = N_("Something went wrong on our side. It has been logged; please try again.")
# A plain HTTP error's title is its status text (RFC 9457), in the client's language where
# the catalog has it: the statuses our routes and pages answer with.
PLAIN_TITLES: Mapping[HTTPStatus, str] = {
    HTTPStatus.BAD_REQUEST: N_("Bad Request"),
    HTTPStatus.UNAUTHORIZED: N_("Unauthorized"),
    HTTPStatus.FORBIDDEN: N_("Forbidden"),
    HTTPStatus.NOT_FOUND: N_("Not Found"),
    HTTPStatus.METHOD_NOT_ALLOWED: N_("Method Not Allowed"),
    HTTPStatus.CONFLICT: N_("Conflict"),
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE: N_("Unsupported Media Type"),
    HTTPStatus.TOO_MANY_REQUESTS: N_("Too Many Requests"),
    HTTPStatus.SERVICE_UNAVAILABLE: N_("Service Unavailable"),
}


def plain_title(status: HTTPStatus) -> str:
    known = PLAIN_TITLES.get(status)
    return _(known) if known else status.phrase


# The first class a domain error is an instance of decides; subclasses come before parents.
DOMAIN_PROBLEMS: Sequence[tuple[type[DomainError], ProblemType]] = (
    (InvalidMatchStats, INVALID_MATCH_STATS),
    (NotFound, NOT_FOUND),
    (Forbidden, FORBIDDEN),
    (NoDigestChannel, CONFLICT),
    (Conflict, CONFLICT),
    (InvalidConfig, INVALID_INPUT),
    (InvalidGamertag, INVALID_INPUT),
    (InvalidSeasonName, INVALID_INPUT),
    (ChannelOutsideServer, INVALID_INPUT),
    (ChannelsUnverifiable, DISCORD_UNAVAILABLE),
    (InvalidCursor, INVALID_INPUT),
    (UnknownStat, INVALID_INPUT),
    (RefusedQuestion, REFUSED_QUESTION),
    (CooldownActive, RATE_LIMITED),
    (AIUnavailable, AI_UNAVAILABLE),
)


class ErrorPages(Protocol):
    """Problems of browser pages, as HTML instead of problem+json."""

    def covers(self, path: str) -> bool: ...

    def render(self, problem: Problem, headers: Mapping[str, str] | None) -> Response: ...


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> ProblemResponse:
    return ProblemResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        headers=headers,
    )


def answer_problem(
    scope: Scope, problem: Problem, headers: Mapping[str, str] | None = None
) -> Response:
    """The problem as problem+json, or as an HTML page on a path the error pages cover."""
    pages: ErrorPages | None = getattr(scope["app"].state, "error_pages", None)
    if pages is not None and pages.covers(scope["path"]):
        return pages.render(problem, headers)
    return problem_response(problem, headers)


def problem_of(kind: ProblemType, request: Request, detail: str, **extra: Any) -> Problem:
    return Problem(
        type=kind.uri,
        title=_(kind.title),
        status=kind.status,
        detail=detail,
        instance=request.url.path,
        **extra,
    )


def domain_problem_type(error: DomainError) -> ProblemType:
    for kind, problem in DOMAIN_PROBLEMS:
        if isinstance(error, kind):
            return problem
    return BAD_REQUEST


async def on_domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    kind = domain_problem_type(error)
    problem = problem_of(kind, request, error.user_message, errors=field_problems_of(error))
    headers = (
        {"Retry-After": str(error.seconds_left)} if isinstance(error, CooldownActive) else None
    )
    return answer_problem(request.scope, problem, headers)


async def on_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    # Only where and what: echoing the values sent could reflect secrets or markup.
    errors = [
        FieldProblem(
            field=".".join(str(part) for part in e["loc"]), message=describe_request_field(e)
        )
        for e in error.errors()
    ]
    fields = ", ".join(dict.fromkeys(problem.field for problem in errors))
    detail = (
        _("Check these fields: {fields}.", fields=fields)
        if fields
        else _("The request is invalid.")
    )
    return answer_problem(request.scope, problem_of(VALIDATION, request, detail, errors=errors))


async def on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    status = HTTPStatus(error.status_code)
    # Marked with N_() where it is raised (or translated there already): said in the
    # request's language here.
    detail = _(error.detail) if isinstance(error.detail, str) else None
    problem = Problem(
        type=PLAIN_HTTP,
        title=plain_title(status),
        status=error.status_code,
        detail=detail if error.detail != status.phrase else None,
        instance=request.url.path,
    )
    return answer_problem(request.scope, problem, error.headers)


def field_problems_of(error: DomainError) -> list[FieldProblem] | None:
    """The fields a refused body got wrong, by their names in the body, where the error says."""
    if isinstance(error, InvalidMatchStats):
        return stat_problems(error.problems)
    if isinstance(error, InvalidConfig) and error.problems:
        return [FieldProblem(field=field, message=message) for field, message in error.problems]
    return None


def stat_problems(lines: Sequence[str]) -> list[FieldProblem]:
    """`"player.kills: 200 is more than possible"` → field and message."""
    problems = []
    for line in lines:
        path, separator, message = line.partition(": ")
        problems.append(
            FieldProblem(field=path, message=message)
            if separator
            else FieldProblem(field="stats", message=line)
        )
    return problems


class UnhandledErrors:
    """Answers an exception that no handler took with a generic 500 problem.

    A middleware rather than an exception handler for `Exception`: Starlette re-raises after
    such a handler, so the server would log the same traceback a second time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracking_start)
        except Exception:
            if started:  # too late for a problem: the server logs it and drops the connection
                raise
            logger.exception("unhandled error in %s %s", scope["method"], scope["path"])
            problem = Problem(
                type=INTERNAL.uri,
                title=_(INTERNAL.title),
                status=INTERNAL.status,
                detail=_(GENERIC_DETAIL),
                instance=scope["path"],
            )
            await answer_problem(scope, problem)(scope, receive, send)


def install_problem_handlers(app: FastAPI, pages: ErrorPages | None = None) -> None:
    """Problem details for every error, also in the OpenAPI document; HTML pages for the
    paths `pages` covers.

    Call before adding other middleware, so they see the 500 this one answers with.
    """
    app.state.error_pages = pages
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_middleware(UnhandledErrors)
    _document_problems(app)


def _document_problems(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _as_problem_json(generate())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _as_problem_json(schema: dict[str, Any]) -> None:
    """Problem responses under `application/problem+json`, including the 422 that FastAPI
    documents on its own; other error bodies (e.g. /readyz's 503) are left as they are."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template=_COMPONENT + "{model}")
    for name, definition in problem_schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components.setdefault("Problem", problem_schema)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                body = content.get("application/json", {}).get("schema", {})
                if body.get("$ref") in _PROBLEM_REFS:
                    del content["application/json"]
                    content[PROBLEM_MEDIA_TYPE] = {"schema": {"$ref": _COMPONENT + "Problem"}}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


_COMPONENT = "#/components/schemas/"
_PROBLEM_REFS = frozenset({_COMPONENT + "Problem", _COMPONENT + "HTTPValidationError"})
