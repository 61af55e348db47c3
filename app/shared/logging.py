"""Logging for both processes: one line per record, tracebacks included, secrets scrubbed.

Scrubbing is a last line of defence: code must not log secrets in the first place, but if a
library puts a token into an exception message, it still never reaches the log.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime

# Set per HTTP request or Discord interaction so every line of one flow can be found together.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_TOKEN_PATTERNS = (
    re.compile(r"(?i)(authorization|bearer|bot)\s*[:=]?\s+[A-Za-z0-9._~+/=-]{16,}"),
    # Discord bot tokens: three base64url parts separated by dots.
    re.compile(r"[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"),
    re.compile(
        r"(?i)(access_token|refresh_token|client_secret|code_verifier|api_key|key)=[^&\s\"']+"
    ),
    # OAuth2 redirects: the one-time code and the state (word-bounded: not "error_code=").
    re.compile(r"(?i)\b(code|state)=[^&\s\"']+"),
    # The same secrets in a dict's repr or after a colon, e.g. "code_verifier: 'abc'".
    re.compile(
        r"(?i)(access_token|refresh_token|id_token|client_secret|code_verifier)['\"]?\s*:\s*"
        r"['\"]?[^\s'\",}]+['\"]?"
    ),
    # JWTs anywhere (header and payload are base64url JSON, so they start with "eyJ").
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    # The web API's session cookies, e.g. in a logged Cookie header.
    re.compile(r"(debrief_(?:access|refresh|csrf|discord|oauth))=[^;\s\"']+"),
    re.compile(r"mongodb(\+srv)?://[^:/\s]+:[^@\s]+@"),
)
REDACTED = "[redacted]"


class ScrubbingFormatter(logging.Formatter):
    """Formats one record on one line and removes known secrets and token-shaped strings."""

    def __init__(self, secrets: Iterable[str], *, as_json: bool) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
        self._as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        message = self.scrub(record.getMessage())
        error = self.scrub(self.formatException(record.exc_info)) if record.exc_info else None
        if self._as_json:
            return self._json(record, message, error)
        line = f"{self._time(record)} {record.levelname} {record.name}: {message}"
        if error:
            line += " | " + error.replace("\n", " | ")
        return line

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        for pattern in _TOKEN_PATTERNS:
            text = pattern.sub(_keep_label, text)
        return text

    def _json(self, record: logging.LogRecord, message: str, error: str | None) -> str:
        entry = {
            "time": self._time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "request_id": request_id.get(),
        }
        if error:
            entry["error"] = error
        return json.dumps(entry, ensure_ascii=False)

    @staticmethod
    def _time(record: logging.LogRecord) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def _keep_label(match: re.Match[str]) -> str:
    label = match.group(1) if match.groups() and match.group(1) else ""
    if label and not label.startswith("+"):
        separator = "=" if "=" in match.group(0) else " "
        return f"{label}{separator}{REDACTED}"
    return REDACTED


def configure_logging(level: str, *, as_json: bool, secrets: Iterable[str]) -> None:
    """Install the scrubbing formatter on the root logger (once per process)."""
    handler = logging.StreamHandler()
    handler.setFormatter(ScrubbingFormatter(secrets, as_json=as_json))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # discord.py and uvicorn log through the root logger; keep their chatter at INFO or above.
    for noisy in ("discord.gateway", "discord.http", "pymongo", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.getLevelName(level), logging.INFO))
