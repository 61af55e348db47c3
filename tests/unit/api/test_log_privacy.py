"""OAuth codes, states, verifiers and session cookies never survive into a log line."""

from __future__ import annotations

import logging

import pytest

from app.api.auth.access_log import (
    ACCESS_LOGGER,
    AuthQueryRedactor,
    redact_login_queries_in_access_log,
)
from app.shared.logging import ScrubbingFormatter


def access_record(path: str) -> logging.LogRecord:
    args = ("127.0.0.1:5000", "GET", path, "1.1", 303)
    return logging.LogRecord(
        ACCESS_LOGGER, logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, None
    )


def test_the_login_routes_lose_their_query_in_the_access_log() -> None:
    record = access_record("/api/v1/auth/callback?code=abc123&state=xyz789")

    assert AuthQueryRedactor().filter(record)

    assert (
        record.getMessage()
        == '127.0.0.1:5000 - "GET /api/v1/auth/callback?[redacted] HTTP/1.1" 303'
    )


@pytest.mark.parametrize("path", ["/api/v1/matches?mode=hardpoint", "/api/v1/auth/me", "/healthz"])
def test_other_access_lines_are_untouched(path: str) -> None:
    record = access_record(path)

    AuthQueryRedactor().filter(record)

    assert path in record.getMessage()


def test_the_filter_is_installed_once() -> None:
    redact_login_queries_in_access_log()
    redact_login_queries_in_access_log()

    access = logging.getLogger(ACCESS_LOGGER)
    assert sum(isinstance(f, AuthQueryRedactor) for f in access.filters) == 1


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("GET /api/v1/auth/callback?code=abc123secret&state=s", "abc123secret"),
        ("redirect to https://x/cb?state=st4te-value&code=c", "st4te-value"),
        ("Using code_verifier: 'verifier-0123456789'", "verifier-0123456789"),
        ("token {'access_token': 'tok-0123456789', 'expires_in': 60}", "tok-0123456789"),
        ("Cookie: debrief_refresh=rt-0123456789; debrief_csrf=c", "rt-0123456789"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl seen", "c2lnbmF0dXJl"),
    ],
)
def test_oauth_and_session_secrets_are_scrubbed(line: str, secret: str) -> None:
    record = logging.LogRecord("any", logging.INFO, __file__, 1, line, None, None)

    assert secret not in ScrubbingFormatter([], as_json=False).format(record)


def test_error_codes_are_not_mistaken_for_oauth_codes() -> None:
    record = logging.LogRecord("any", logging.INFO, __file__, 1, "error_code=50035", None, None)

    assert "error_code=50035" in ScrubbingFormatter([], as_json=False).format(record)
