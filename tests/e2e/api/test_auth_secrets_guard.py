"""The secrets guard itself: it must catch what it is given, and name kinds, never values."""

from __future__ import annotations

import base64
import json
import logging

import httpx
import pytest

from tests.e2e.api.secrets_guard import SecretsGuard

LEAKED = "refresh-token-value-0123456789"


def record(message: str) -> logging.LogRecord:
    return logging.LogRecord("any", logging.DEBUG, __file__, 1, message, None, None)


def test_a_registered_secret_in_a_log_line_fails_without_repeating_it() -> None:
    guard = SecretsGuard()
    guard.add("refresh token", LEAKED)

    with pytest.raises(AssertionError) as failure:
        guard.check([record(f"rotated {LEAKED}")])

    assert "refresh token" in str(failure.value)
    assert LEAKED not in str(failure.value)


def test_what_the_scrubbing_formatter_removes_is_not_a_leak() -> None:
    guard = SecretsGuard()
    guard.add_url("https://testserver/api/v1/auth/callback?code=one-time-code-123&state=st4te-456")

    guard.check([record("GET /api/v1/auth/callback?code=one-time-code-123&state=st4te-456")])

    assert guard.count == 2


def test_secrets_are_collected_from_responses() -> None:
    session = {"_state_discord_St4teValue123": {"data": {"code_verifier": "verifier-0123456789"}}}
    oauth_cookie = base64.b64encode(json.dumps(session).encode()).decode() + ".ts.signature"
    response = httpx.Response(
        200,
        headers=[
            ("set-cookie", "debrief_refresh=refresh-0123456789; Path=/api/v1/auth; HttpOnly"),
            ("set-cookie", f"debrief_oauth={oauth_cookie}; Path=/api/v1/auth; HttpOnly"),
            ("location", "https://testserver/cb?code=code-0123456789&state=other-state-0123"),
        ],
        json={"access_token": "access-0123456789", "token_type": "bearer"},
    )
    guard = SecretsGuard()

    guard.add_response(response)

    for value in (
        "refresh-0123456789",
        "St4teValue123",
        "verifier-0123456789",
        "code-0123456789",
        "other-state-0123",
        "access-0123456789",
    ):
        assert guard.leaks(f"... {value} ..."), value
