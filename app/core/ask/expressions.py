"""Walks the expressions and filters inside a planned pipeline, returning a checked copy.

Every node is visited and rebuilt from validated parts, so nothing the planner wrote reaches
MongoDB unless a rule here accepted it, and later changes to the planner's objects cannot
change what runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.core.ask.errors import PipelineRefused
from app.core.ask.fields import FIELDS
from app.core.ask.operators import (
    DATE_LITERAL,
    EXPRESSION_OPERATORS,
    QUERY_LOGIC,
    QUERY_OPERATORS,
    SYSTEM_VARIABLES,
)

MAX_ITEMS = 50
MAX_STRING = 100
_INT64 = range(-(2**63), 2**63)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,4}")


def refuse(rule: str) -> PipelineRefused:
    # Rules quote the planner's keys: keep them short and on one line, as they go to the logs.
    printable = "".join(char if char.isprintable() else "?" for char in rule)
    return PipelineRefused(printable[:120])


@dataclass(frozen=True, slots=True)
class Visible:
    """The fields a stage may read: catalogued paths still present, and names computed before."""

    paths: frozenset[str]
    computed: frozenset[str] = frozenset()

    @classmethod
    def catalogue(cls) -> Visible:
        return cls(paths=frozenset(FIELDS))

    def allows(self, path: str) -> bool:
        # A computed value is built only from visible fields, so any part of it is readable.
        return path in self.paths or path.split(".", 1)[0] in self.computed

    def contains(self, name: str) -> bool:
        """Whether a top-level name holds anything readable (for a $project inclusion)."""
        return name in self.computed or any(
            path == name or path.startswith(f"{name}.") for path in self.paths
        )


@dataclass(slots=True)
class Budget:
    """Caps the size and nesting of a whole pipeline, so a plan cannot exhaust the server."""

    max_nodes: int
    max_depth: int
    used: int = field(default=0, init=False)

    def spend(self, depth: int) -> None:
        self.used += 1
        if self.used > self.max_nodes:
            raise refuse(f"more than {self.max_nodes} nodes")
        if depth > self.max_depth:
            raise refuse(f"nested deeper than {self.max_depth}")


@dataclass(slots=True)
class Walker:
    budget: Budget
    visible: Visible

    def expression(self, node: object, depth: int) -> Any:
        """An aggregation expression: literal, field reference, object, array or operator."""
        self.budget.spend(depth)
        if isinstance(node, str):
            return self._string_expression(node)
        if isinstance(node, Mapping):
            return self._mapping_expression(node, depth)
        if isinstance(node, list | tuple):
            return [self.expression(item, depth + 1) for item in self.items(node)]
        return scalar(node)

    def query(self, node: object, depth: int, prefix: str = "") -> dict[str, Any]:
        """A $match filter; `prefix` is the array path inside an $elemMatch."""
        self.budget.spend(depth)
        checked: dict[str, Any] = {}
        for key, value in self.mapping(node, "a filter").items():
            if key in QUERY_LOGIC:
                clauses = self.items(value)
                checked[key] = [self.query(clause, depth + 1, prefix) for clause in clauses]
            elif key == "$expr" and not prefix:
                checked[key] = self.expression(value, depth + 1)
            elif key.startswith("$"):
                raise refuse(f"query operator {key}")
            else:
                self.reference(prefix + key)
                checked[key] = self._condition(prefix + key, value, depth + 1)
        return checked

    def reference(self, path: str) -> None:
        if not _PATH.fullmatch(path):
            raise refuse(f"malformed field path {path[:MAX_STRING]!r}")
        if not self.visible.allows(path):
            raise refuse(f"unknown field {path}")

    def mapping(self, node: object, what: str) -> Mapping[str, Any]:
        if not isinstance(node, Mapping) or not all(isinstance(key, str) for key in node):
            raise refuse(f"{what} must be an object")
        return node

    def items(self, node: object) -> list[object]:
        if not isinstance(node, list | tuple):
            raise refuse("expected an array")
        if len(node) > MAX_ITEMS:
            raise refuse(f"array longer than {MAX_ITEMS}")
        return list(node)

    def _string_expression(self, text: str) -> str:
        if text.startswith("$$"):
            if text not in SYSTEM_VARIABLES:
                raise refuse(f"variable {text[:MAX_STRING]}")
            return text
        if text.startswith("$"):
            self.reference(text[1:])
            return text
        return str(scalar(text))

    def _mapping_expression(self, node: Mapping[object, object], depth: int) -> Any:
        spec = self.mapping(node, "an expression")
        operators = [key for key in spec if key.startswith("$")]
        if not operators:
            return {name(key): self.expression(value, depth + 1) for key, value in spec.items()}
        if len(spec) != 1:
            raise refuse("an operator must be alone in its object")
        operator, argument = next(iter(spec.items()))
        if operator == DATE_LITERAL:
            return date_literal(argument)
        if operator not in EXPRESSION_OPERATORS:
            raise refuse(f"expression operator {operator}")
        return {operator: self.expression(argument, depth + 1)}

    def _condition(self, path: str, value: object, depth: int) -> Any:
        if not _is_operator_object(value):
            return self._query_literal(value, depth)
        self.budget.spend(depth)
        spec = self.mapping(value, "a condition")
        if list(spec) == [DATE_LITERAL]:
            return date_literal(spec[DATE_LITERAL])
        if not all(key.startswith("$") for key in spec):
            raise refuse("a condition mixes operators and fields")
        return {op: self._operand(path, op, arg, depth + 1) for op, arg in spec.items()}

    def _operand(self, path: str, operator: str, argument: object, depth: int) -> Any:
        if operator not in QUERY_OPERATORS:
            raise refuse(f"query operator {operator}")
        if operator in {"$in", "$nin"}:
            return [self._query_literal(item, depth + 1) for item in self.items(argument)]
        if operator == "$not":
            return self._condition(path, argument, depth)
        if operator == "$elemMatch":
            if _is_operator_object(argument):
                return self._condition(path, argument, depth)
            return self.query(argument, depth, prefix=f"{path}.")
        return self._query_literal(argument, depth)

    def _query_literal(self, value: object, depth: int) -> Any:
        """A value compared as is; a "$..." string here would be a literal, so none is allowed."""
        self.budget.spend(depth)
        if isinstance(value, str) and value.startswith("$"):
            raise refuse(f"{value[:MAX_STRING]!r} where a plain value belongs")
        if isinstance(value, Mapping):
            spec = self.mapping(value, "a value")
            if list(spec) == [DATE_LITERAL]:
                return date_literal(spec[DATE_LITERAL])
            return {name(key): self._query_literal(item, depth + 1) for key, item in spec.items()}
        if isinstance(value, list | tuple):
            return [self._query_literal(item, depth + 1) for item in self.items(value)]
        return scalar(value)


def _is_operator_object(value: object) -> bool:
    return isinstance(value, Mapping) and any(
        isinstance(key, str) and key.startswith("$") for key in value
    )


def name(key: str) -> str:
    """A name the pipeline defines (an output field, an object key): a plain identifier."""
    if not _NAME.fullmatch(key):
        raise refuse(f"invalid name {key[:MAX_STRING]!r}")
    return key


def names(keys: Iterable[str]) -> frozenset[str]:
    return frozenset(name(key) for key in keys)


def scalar(value: object) -> Any:
    if value is None or isinstance(value, bool | float | datetime):
        return value
    if isinstance(value, int):
        # BSON has no larger integers: PyMongo would fail encoding it, after the guard said yes.
        if value not in _INT64:
            raise refuse("integer out of range")
        return int(value)
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise refuse(f"string longer than {MAX_STRING}")
        return str(value)
    raise refuse(f"unsupported value of type {type(value).__name__}")


def date_literal(value: object) -> datetime:
    """{"$date": "2026-11-01"} as an aware datetime; a date without a zone is UTC."""
    if not isinstance(value, str) or len(value) > 40:
        raise refuse("a $date must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise refuse("a $date must be an ISO 8601 string") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
