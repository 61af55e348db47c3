"""Caps on the size of a request, enforced before anything reads or parses it.

A pure ASGI middleware, added last so it is the outermost: sessions, routing, authentication
and JSON parsing never see a request over the caps, and an unauthenticated 100 MB body is
refused without being read. Headers are checked first (count and total size: 431), then a
declared `Content-Length` (413 at once, before the app runs). A body without a declared
length (chunked) is counted as it streams in, and the request ends at the first chunk that
crosses the cap: the rest is never read, nor kept.

Refusals carry `Connection: close`, so the server drops the connection instead of reading
and discarding what is left of the body to keep it alive.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import answer_problem
from app.api.language import scope_language
from app.api.schemas.problems import CONTENT_TOO_LARGE, HEADERS_TOO_LARGE, Problem, ProblemType
from app.core.i18n import N_, _, speaking

HEADERS_DETAIL = N_("Send at most {headers} headers and {bytes} bytes of headers.")
BODY_DETAIL = N_("The request body must be at most {bytes} bytes.")
# ": " and CRLF around each header on the wire.
_PER_HEADER_OVERHEAD = 4
# More digits than any length we could accept; int() of thousands of digits is refused.
_MAX_LENGTH_DIGITS = 18


class BodyTooLarge(HTTPException):
    """Raised to the app by `receive` once the body crosses the cap.

    An HTTPException so that FastAPI passes it through its body parsing as it is, and the
    app answers it like any HTTP error; that answer is then replaced by the 413 problem.
    """

    def __init__(self) -> None:
        super().__init__(status_code=CONTENT_TOO_LARGE.status)


class RequestSizeLimits:
    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, max_header_bytes: int, max_headers: int
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes
        self.max_headers = max_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if len(headers) > self.max_headers or header_bytes(headers) > self.max_header_bytes:
            limits = {"headers": self.max_headers, "bytes": self.max_header_bytes}
            await refuse(HEADERS_TOO_LARGE, HEADERS_DETAIL, scope, receive, send, **limits)
            return
        declared = declared_length(headers)
        if declared is not None and declared > self.max_body_bytes:
            await refuse(
                CONTENT_TOO_LARGE, BODY_DETAIL, scope, receive, send, bytes=self.max_body_bytes
            )
            return
        guard = _BodyGuard(receive, send, self.max_body_bytes)
        try:
            await self.app(scope, guard.receive, guard.send)
        except BodyTooLarge:
            if guard.response_started:  # too late for a 413: the server drops the connection
                raise
        if guard.overflowed and not guard.response_started:
            await refuse(
                CONTENT_TOO_LARGE, BODY_DETAIL, scope, receive, send, bytes=self.max_body_bytes
            )


class _BodyGuard:
    """Counts the body on its way to the app, and stops it at the cap."""

    def __init__(self, receive: Receive, send: Send, max_body_bytes: int) -> None:
        self._receive = receive
        self._send = send
        self._max = max_body_bytes
        self._received = 0
        self.overflowed = False
        self.response_started = False

    async def receive(self) -> Message:
        if self.overflowed:
            raise BodyTooLarge
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._max:
                self.overflowed = True
                raise BodyTooLarge
        return message

    async def send(self, message: Message) -> None:
        if self.overflowed and not self.response_started:
            return  # the app's answer to a body it could not read; the 413 replaces it
        if message["type"] == "http.response.start":
            self.response_started = True
        await self._send(message)


def header_bytes(headers: Iterable[tuple[bytes, bytes]]) -> int:
    return sum(len(name) + len(value) + _PER_HEADER_OVERHEAD for name, value in headers)


def declared_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    """The Content-Length sent, or None (none, or not a number: the body is counted instead)."""
    for name, value in headers:
        if name == b"content-length":
            if not value.isdigit():
                return None
            return int(value) if len(value) <= _MAX_LENGTH_DIGITS else 10**_MAX_LENGTH_DIGITS
    return None


async def refuse(
    kind: ProblemType, detail: str, scope: Scope, receive: Receive, send: Send, **params: object
) -> None:
    # Outermost, so before AcceptLanguage: this refusal picks the request's language itself.
    with speaking(scope_language(scope)):
        problem = Problem(
            type=kind.uri,
            title=_(kind.title),
            status=kind.status,
            detail=_(detail, **params),
            instance=scope["path"],
        )
        response = answer_problem(scope, problem, headers={"Connection": "close"})
    await response(scope, receive, send)
