"""Request size caps: an oversized body or header block is refused before it is read.

Through the ASGI app (what the app reads), and through a real uvicorn configured like
`debrief api` (what the server reads off the socket).
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.shared.settings import Settings
from tests.e2e.api.served import served

pytestmark = pytest.mark.e2e

PROBLEM = "application/problem+json"
HUNDRED_MB = 100 * 1024 * 1024
CHUNK = 16 * 1024
ASK = "/api/v1/ask"  # unauthenticated: the 401 would come only after reading the body


class CountingBody:
    """A request body that records how much of it was pulled by whoever reads it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += CHUNK
            yield b" " * CHUNK

    @property
    def exhausted(self) -> bool:
        return self.sent >= self.total


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["connection"] == "close"
    body: dict[str, object] = response.json()
    assert body["type"] == f"/problems/{slug}"
    assert body["instance"] == ASK
    return body


async def test_a_declared_100_mb_body_is_refused_before_a_byte_of_it_is_read(
    client: httpx.AsyncClient,
) -> None:
    body = CountingBody(HUNDRED_MB)
    headers = {"content-length": str(HUNDRED_MB), "content-type": "application/json"}

    started = time.perf_counter()
    response = await client.post(ASK, content=body, headers=headers)
    elapsed = time.perf_counter() - started

    assert_problem(response, 413, "content-too-large")
    assert body.sent == 0
    assert elapsed < 5


async def test_an_undeclared_body_is_cut_off_at_the_cap(
    client: httpx.AsyncClient, api_settings: Settings
) -> None:
    body = CountingBody(HUNDRED_MB)  # no length: sent chunked

    response = await client.post(ASK, content=body, headers={"content-type": "application/json"})

    assert_problem(response, 413, "content-too-large")
    assert not body.exhausted
    assert body.sent <= api_settings.max_request_body_bytes + CHUNK


async def test_a_body_within_the_cap_gets_through(
    client: httpx.AsyncClient, api_settings: Settings
) -> None:
    padding = "x" * (api_settings.max_request_body_bytes - 100)
    content = json.dumps({"question": "my kills?", "padding": padding}).encode()
    assert len(content) <= api_settings.max_request_body_bytes

    response = await client.post(ASK, content=content, headers={"content-type": "application/json"})

    assert response.status_code == 401  # it reached authentication


async def test_too_large_headers_get_431(client: httpx.AsyncClient, api_settings: Settings) -> None:
    cookie = "a=" + "x" * api_settings.max_request_header_bytes

    response = await client.post(ASK, json={"question": "hi"}, headers={"cookie": cookie})

    body = assert_problem(response, 431, "headers-too-large")
    assert "x" * 20 not in json.dumps(body)  # the headers are not echoed


async def test_too_many_headers_get_431(client: httpx.AsyncClient, api_settings: Settings) -> None:
    headers = {f"x-filler-{i}": "1" for i in range(api_settings.max_request_headers + 1)}

    response = await client.post(ASK, json={"question": "hi"}, headers=headers)

    assert_problem(response, 431, "headers-too-large")


def _raw_exchange(port: int, head: bytes, body: bytes, timeout_s: float = 10) -> tuple[bytes, bool]:
    """Send a head and part of a body; what came back, and whether the server hung up."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as connection:
        try:
            connection.sendall(head)
            connection.sendall(body)
            while chunk := connection.recv(65536):
                received += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass  # the server hung up while we were still sending
    return received, True


async def test_the_server_answers_413_to_a_100_mb_declaration_and_hangs_up(
    app: FastAPI, api_settings: Settings
) -> None:
    head = (
        f"POST {ASK} HTTP/1.1\r\nHost: testserver\r\nContent-Type: application/json\r\n"
        f"Content-Length: {HUNDRED_MB}\r\n\r\n"
    ).encode()
    async with served(app, api_settings) as port:
        started = time.perf_counter()
        answer, closed = await asyncio.to_thread(_raw_exchange, port, head, b"{" * CHUNK)
        elapsed = time.perf_counter() - started

    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
    assert b"content-type: application/problem+json" in rest.lower()
    assert closed, "the server closed the connection instead of reading the other 100 MB"
    assert elapsed < 5


async def test_the_server_stops_reading_a_head_far_over_the_cap(
    app: FastAPI, api_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # h11 counts what is buffered while the head is incomplete: a head that arrives in one
    # read of the socket is parsed whole, so "far over" means more than one read (64 KiB).
    huge = "x" * (1024 * 1024)
    just_over = "x" * api_settings.max_request_header_bytes
    async with served(app, api_settings) as port:

        def request_with(cookie: str) -> tuple[bytes, bool]:
            head = f"GET /healthz HTTP/1.1\r\nHost: testserver\r\nCookie: {cookie}\r\n\r\n"
            return _raw_exchange(port, head.encode(), b"")

        cut, cut_closed = await asyncio.to_thread(request_with, huge)
        refused, _ = await asyncio.to_thread(request_with, just_over)

    # uvicorn's own 400, or a reset if it hung up while the rest was still coming in.
    assert cut == b"" or cut.startswith(b"HTTP/1.1 400 ")
    assert cut_closed
    assert refused.startswith(b"HTTP/1.1 431 ")  # the app's problem, for a near miss
    assert b"/problems/headers-too-large" in refused
    answered_by_the_app = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert len(answered_by_the_app) == 1, "the 1 MiB head never reached the app"
