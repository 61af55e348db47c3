"""Keep the OAuth callback's `?code=...&state=...` out of uvicorn's access log.

uvicorn logs every request as `client - "METHOD path?query HTTP/x" status`. Query strings of
other routes (filters, cursors) help operators and hold no secrets; those of the login routes
carry the one-time code and the state, so they are replaced before any handler formats them.
"""

from __future__ import annotations

import logging

from app.api.auth.cookies import AUTH_PATH

ACCESS_LOGGER = "uvicorn.access"
REDACTED_QUERY = "[redacted]"
# uvicorn's access record: (client address, method, path with query, HTTP version, status).
_PATH_ARG = 2
_ACCESS_ARG_COUNT = 5


class AuthQueryRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == _ACCESS_ARG_COUNT:
            target = args[_PATH_ARG]
            if isinstance(target, str):
                path, _, query = target.partition("?")
                if query and path.startswith(AUTH_PATH):
                    redacted = f"{path}?{REDACTED_QUERY}"
                    record.args = (*args[:_PATH_ARG], redacted, *args[_PATH_ARG + 1 :])
        return True


def redact_login_queries_in_access_log() -> None:
    """Install the filter on uvicorn's access logger (once, however many apps are built)."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, AuthQueryRedactor) for existing in access.filters):
        access.addFilter(AuthQueryRedactor())
