"""A log capture that must not contain any secret a test handled.

Use the `secrets_guard` fixture (list this module in a conftest's `pytest_plugins`, or build
your own fixture around `guarding(caplog)`) and register what the test produced:
`guard.add(kind, value)`, `guard.add_settings(settings)` (client secret, JWT secret...),
`guard.add_response(response)` (tokens in Set-Cookie headers, JSON bodies and redirect
URLs). While the test runs every logger records at DEBUG; at teardown each record is formatted
with the app's ScrubbingFormatter, as in production, and none may contain a registered value.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest

from app.shared.logging import ScrubbingFormatter
from app.shared.settings import Settings
from tests.support.log_guard import remember_secret

# Shorter values could appear in logs by coincidence (a 4-digit port, a word).
MIN_SECRET_LENGTH = 8
_QUERY_SECRETS = {"code": "OAuth code", "state": "OAuth state"}
_OAUTH_SESSION_COOKIE = "debrief_oauth"


class SecretsGuard:
    def __init__(self) -> None:
        self._kinds: dict[str, str] = {}
        self._process_secrets: list[str] = []

    @property
    def count(self) -> int:
        return len(self._kinds)

    def add(self, kind: str, value: str | None) -> None:
        remember_secret(kind, value)  # the whole-suite check looks for it too
        if value and len(value) >= MIN_SECRET_LENGTH:
            self._kinds[value] = kind

    def add_settings(self, settings: Settings) -> None:
        """The process's own secrets; the formatter knows them too, as it does in production."""
        for value in settings.secret_values():
            self.add("setting", value)
            self._process_secrets.append(value)

    def add_response(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.add(f"cookie {name}", morsel.value)
                if name == _OAUTH_SESSION_COOKIE:
                    self._add_oauth_session(morsel.value)
        if "location" in response.headers:
            self.add_url(response.headers["location"])
        if response.headers.get("content-type", "").startswith("application/json"):
            self._add_json(response.json())

    def add_url(self, url: str) -> None:
        for name, value in httpx.URL(url).params.multi_items():
            if name in _QUERY_SECRETS:
                self.add(_QUERY_SECRETS[name], value)

    def leaks(self, text: str) -> list[str]:
        """The kinds of the registered secrets found in `text` (never the values)."""
        return sorted({kind for value, kind in self._kinds.items() if value in text})

    def check(self, records: Iterable[logging.LogRecord]) -> None:
        formatter = ScrubbingFormatter(self._process_secrets, as_json=False)
        text = "\n".join(formatter.format(record) for record in records)
        leaked = self.leaks(text)
        assert not leaked, f"secrets reached the logs: {', '.join(leaked)}"

    def _add_json(self, body: Any) -> None:
        if isinstance(body, dict):
            for key in ("access_token", "refresh_token"):
                value = body.get(key)
                self.add(f"JSON {key}", value if isinstance(value, str) else None)

    def _add_oauth_session(self, cookie: str) -> None:
        # Starlette's session cookie is base64(JSON).timestamp.signature: signed, not
        # encrypted. Authlib keeps the state and the PKCE verifier in it.
        try:
            session = json.loads(base64.b64decode(cookie.split(".")[0]))
        except (binascii.Error, ValueError):
            return
        for key, entry in session.items():
            if key.startswith("_state_"):
                self.add("OAuth state", key.rsplit("_", 1)[-1])
                self.add("PKCE code verifier", entry.get("data", {}).get("code_verifier"))


@contextmanager
def guarding(caplog: pytest.LogCaptureFixture) -> Iterator[SecretsGuard]:
    """Record every logger at DEBUG while the block runs, then check the records (for fixtures)."""
    guard = SecretsGuard()
    with ExitStack() as stack:
        _record_everything(caplog, stack)
        yield guard
    # caplog keeps each phase's records apart; a teardown only sees its own in `.records`.
    guard.check([*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records])


@pytest.fixture
def secrets_guard(caplog: pytest.LogCaptureFixture) -> Iterator[SecretsGuard]:
    with guarding(caplog) as guard:
        yield guard


def _record_everything(caplog: pytest.LogCaptureFixture, stack: ExitStack) -> None:
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        caplog.set_level(logging.DEBUG, logger=name)
        if not logger.propagate:
            # A logger that does not propagate never reaches caplog's root handler.
            logger.addHandler(caplog.handler)
            stack.callback(logger.removeHandler, caplog.handler)
