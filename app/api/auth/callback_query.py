"""The query string a browser brings back to the login callback, checked before Authlib.

Authlib reads ``code`` and ``state`` with ``query_params.get``, which quietly takes the last
of repeated values and hands a missing code to the token request (where it fails with an
exception of its own). Anyone can write this query string, so it is checked here first: each
parameter once, non-empty, short and printable, or the login is refused.
"""

from __future__ import annotations

from starlette.datastructures import QueryParams

# Discord's codes and Authlib's states are about 30 characters.
MAX_VALUE_LENGTH = 512
_REQUIRED = ("code", "state")


class MalformedCallback(Exception):
    """A callback no login started here could produce; ``reason`` is a fixed phrase for logs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_callback_query(params: QueryParams) -> None:
    """Raise MalformedCallback unless ``code`` and ``state`` each appear once, well formed.

    A provider error (``error=access_denied``) is left to Authlib, which reports it as such.
    """
    if "error" in params:
        return
    for name in _REQUIRED:
        values = params.getlist(name)
        if len(values) != 1:
            raise MalformedCallback(f"{name}_missing" if not values else f"{name}_repeated")
        if not _well_formed(values[0]):
            raise MalformedCallback(f"{name}_malformed")


def _well_formed(value: str) -> bool:
    return 0 < len(value) <= MAX_VALUE_LENGTH and value.isascii() and value.isprintable()
