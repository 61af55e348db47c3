"""Discord's error answers: JSON error codes and the 50035 "Invalid Form Body" tree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import JSON

# JSON error codes from Discord's documentation, for the rules the emulator enforces.
GENERAL_ERROR = 0
UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_USER = 10013
UNKNOWN_WEBHOOK = 10015
UNKNOWN_INTERACTION = 10062
UNAUTHORIZED = 40001
REQUEST_TOO_LARGE = 40005
ALREADY_ACKNOWLEDGED = 40060
MISSING_ACCESS = 50001
INVALID_WEBHOOK_TOKEN = 50027
MISSING_PERMISSIONS = 50013
INVALID_FORM_BODY = 50035


@dataclass(frozen=True)
class BodyError:
    """One problem in a request body, located by its path inside the JSON document."""

    location: tuple[str | int, ...]
    code: str
    message: str

    @property
    def json_path(self) -> str:
        text = "$"
        for part in self.location:
            text += f"[{part}]" if isinstance(part, int) else f".{part}"
        return text


class DiscordHTTPError(Exception):
    """Raised by a handler to answer the way Discord answers that failure."""

    def __init__(
        self, status: int, code: int, message: str, *, errors: Sequence[BodyError] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = tuple(errors)

    def to_payload(self) -> JSON:
        payload: JSON = {"message": self.message, "code": self.code}
        if self.errors:
            payload["errors"] = errors_tree(self.errors)
            # Not Discord's: the first problem spelled as a JSON path, for readable test failures.
            payload["emulator_json_path"] = self.errors[0].json_path
        return payload


def invalid_form_body(errors: Sequence[BodyError]) -> DiscordHTTPError:
    return DiscordHTTPError(400, INVALID_FORM_BODY, "Invalid Form Body", errors=errors)


def not_found(code: int, what: str) -> DiscordHTTPError:
    return DiscordHTTPError(404, code, f"Unknown {what}")


def errors_tree(errors: Iterable[BodyError]) -> JSON:
    """Discord nests errors by field: {"embeds": {"0": {"title": {"_errors": [...]}}}}."""
    tree: dict[str, Any] = {}
    for error in errors:
        node = tree
        for part in error.location:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return tree
