"""A whole-suite check that no secret a test handled ever reached a log line.

Fixtures register the secrets they create (tokens they mint, keys they configure); a
session-wide handler keeps every log record of the run, formatted by the app's own
ScrubbingFormatter as in production, and the session fails if any line holds a registered
secret or anything shaped like a JWT.
"""

from __future__ import annotations

import logging
import re

from app.shared.logging import ScrubbingFormatter

MIN_SECRET_LENGTH = 8
JWT_SHAPE = re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}")

_secrets: dict[str, str] = {}


def remember_secret(kind: str, value: str | None) -> None:
    """Register a value that must never be logged."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        _secrets[value] = kind


class SuiteLogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.formatter_ = ScrubbingFormatter([], as_json=False)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.formatter_.format(record))

    def leaks(self) -> list[str]:
        """What leaked, named by kind only: the report must not repeat the secret."""
        found = []
        for number, line in enumerate(self.lines):
            kinds = {kind for secret, kind in _secrets.items() if secret in line}
            if JWT_SHAPE.search(line):
                kinds.add("a JWT")
            found += [f"log line {number}: {kind}" for kind in sorted(kinds)]
        return found
