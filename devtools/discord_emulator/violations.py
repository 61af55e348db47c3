"""Requests Discord would have refused, kept so a test fails loudly instead of passing quietly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .errors import BodyError

Source = Literal["spec", "limits"]


@dataclass(frozen=True)
class SpecViolation:
    """A request body that breaks Discord's OpenAPI spec or one of Discord's documented limits."""

    method: str
    path: str
    operation_id: str | None
    source: Source
    errors: tuple[BodyError, ...]
    body: Any

    @property
    def json_path(self) -> str:
        return self.errors[0].json_path if self.errors else "$"

    def describe(self) -> str:
        details = "; ".join(f"{e.json_path}: {e.message}" for e in self.errors)
        return f"{self.method} {self.path} ({self.operation_id or 'no operation'}): {details}"


class SpecViolationError(AssertionError):
    """Raised at teardown when the code under test sent bodies Discord would reject."""


class ViolationLog:
    def __init__(self) -> None:
        self._items: list[SpecViolation] = []

    def record(
        self,
        method: str,
        path: str,
        operation_id: str | None,
        source: Source,
        errors: Sequence[BodyError],
        body: Any,
    ) -> SpecViolation:
        violation = SpecViolation(method, path, operation_id, source, tuple(errors), body)
        self._items.append(violation)
        return violation

    @property
    def items(self) -> list[SpecViolation]:
        return list(self._items)

    def take(self) -> list[SpecViolation]:
        """Return and forget the recorded violations (for tests that provoke them on purpose)."""
        taken, self._items = self._items, []
        return taken

    def assert_none(self) -> None:
        if self._items:
            lines = "\n".join(f"  - {v.describe()}" for v in self._items)
            raise SpecViolationError(
                f"{len(self._items)} request(s) broke Discord's API contract:\n{lines}"
            )
