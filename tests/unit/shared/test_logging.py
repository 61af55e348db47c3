"""Log lines are one line each, keep the traceback, and never carry a secret."""

from __future__ import annotations

import json
import logging

from app.shared.logging import REDACTED, ScrubbingFormatter

SECRET = "jwt-secret-value-that-must-never-leak-0123456789"
BOT_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789"


def record(message: str, *args: object, error: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, error.__traceback__) if error else None
    return logging.LogRecord("test", logging.ERROR, __file__, 1, message, args, exc_info)


def raised(message: str) -> BaseException:
    try:
        raise RuntimeError(message)
    except RuntimeError as error:
        return error


def test_known_secrets_and_token_shapes_are_scrubbed_everywhere() -> None:
    formatter = ScrubbingFormatter([SECRET], as_json=False)
    line = formatter.format(
        record(
            "login failed for %s with Authorization: Bearer %s",
            SECRET,
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl",
            error=raised(f"token {BOT_TOKEN} refused; url mongodb://admin:pa55word@db:27017"),
        )
    )

    for leaked in (SECRET, BOT_TOKEN, "eyJhbGciOiJIUzI1NiJ9", "pa55word"):
        assert leaked not in line
    assert REDACTED in line
    assert "\n" not in line
    assert "RuntimeError" in line and "Traceback" in line


def test_json_lines_hold_the_error_and_stay_parseable() -> None:
    formatter = ScrubbingFormatter([SECRET], as_json=True)
    line = formatter.format(
        record("oauth callback code_verifier=abc123def&state=x", error=raised(SECRET))
    )

    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert "abc123def" not in line and SECRET not in line
    assert "RuntimeError" in entry["error"]
