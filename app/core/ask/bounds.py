"""Upper bounds on the size of every value a checked /ask expression can build.

A small abstract interpreter: each expression gets a `Bound` (the most bytes its value can
take in BSON, and the longest array it can hold) computed from its inputs, never from data.
Catalogued fields have known maximum sizes; literals are measured as written; each operator
says how its output grows from its arguments. The guard refuses a pipeline when any bound is
over its caps, so a plan cannot build a huge string or array however it nests operators.

It runs on the walker's checked copy: every operator here is allowlisted and every field
reference readable, so an operator without a rule is a programming error and refused too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from app.core.ask.errors import PipelineRefused
from app.core.ask.fields import ARRAY_LENGTHS, FIELD_BYTES

# A BSON string: int32 length, the UTF-8 bytes, a NUL. A container: int32 size and a NUL.
STRING_OVERHEAD = 5
CONTAINER_OVERHEAD = 5
# Numbers and dates: 8 bytes, 16 for a decimal.
SCALAR_BYTES = 16
# The longest text $toString or the case operators make from a number or a date, and how
# much longer than its input any conversion to text may be (escaping, a round-trip form).
TEXT_FLOOR = 64
TEXT_GROWTH = 4
# $dateToString: how many bytes one byte of format can become ("%B" is "September").
FORMAT_GROWTH = 16
DEFAULT_DATE_TEXT = 32


@dataclass(frozen=True, slots=True)
class Bound:
    """At most `size` BSON bytes, holding arrays of at most `items` elements (1: none)."""

    size: int
    items: int = 1

    def widest(self, other: Bound) -> Bound:
        return Bound(max(self.size, other.size), max(self.items, other.items))


SCALAR = Bound(SCALAR_BYTES)
BOOLEAN = Bound(1)


def element(key: str, value: Bound) -> int:
    """Bytes of one element of a document or array: type byte, key, NUL, value."""
    return 1 + len(key.encode()) + 1 + value.size


def document(fields: Mapping[str, Bound]) -> Bound:
    items = max((bound.items for bound in fields.values()), default=1)
    size = CONTAINER_OVERHEAD + sum(element(key, bound) for key, bound in fields.items())
    return Bound(size, items)


def array(values: list[Bound]) -> Bound:
    inner = document({str(index): value for index, value in enumerate(values)})
    return Bound(inner.size, max(inner.items, len(values)))


def repeated(value: Bound, count: int) -> Bound:
    return array([value] * count)


def text(size: int) -> Bound:
    return Bound(STRING_OVERHEAD + size)


def literal(value: object) -> Bound:
    """The exact size of a constant the planner wrote."""
    if isinstance(value, str):
        return text(len(value.encode()))
    if isinstance(value, Mapping):
        return document({str(key): literal(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return array([literal(item) for item in value])
    if value is None or isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float | datetime):
        return SCALAR
    raise PipelineRefused(f"no size for a value of type {type(value).__name__}")


def catalogue_field(path: str, unwound: frozenset[str]) -> Bound:
    """What reading a catalogued path can return; a path through an array returns an array."""
    bound = _catalogue_value(path, unwound)
    parts = path.split(".")
    for end in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in ARRAY_LENGTHS and prefix not in unwound:
            bound = repeated(bound, ARRAY_LENGTHS[prefix])
    return bound


def catalogue_document(roots: frozenset[str], unwound: frozenset[str]) -> Bound:
    return document({root: _catalogue_value(root, unwound) for root in sorted(roots)})


def _catalogue_value(path: str, unwound: frozenset[str]) -> Bound:
    if path in FIELD_BYTES:
        value = Bound(FIELD_BYTES[path])
    else:
        children = {
            leaf[len(path) + 1 :].split(".", 1)[0]
            for leaf in FIELD_BYTES
            if leaf.startswith(f"{path}.")
        }
        value = document(
            {child: _catalogue_value(f"{path}.{child}", unwound) for child in children}
        )
    if path in ARRAY_LENGTHS and path not in unwound:
        return repeated(value, ARRAY_LENGTHS[path])
    return value


FieldBound = Callable[[str], Bound]


@dataclass(slots=True)
class Sizer:
    """Bounds expressions over one stage's documents; `work` adds up the bytes it touches."""

    field: FieldBound
    max_value: int
    work: int = 0

    def bound(self, node: object) -> Bound:
        result = self._bound(node)
        if result.size > self.max_value:
            raise PipelineRefused(f"a value may grow past {self.max_value} bytes")
        self.work += result.size
        return result

    def _bound(self, node: object) -> Bound:
        if isinstance(node, str):
            if node == "$$NOW":
                return SCALAR
            if node.startswith("$"):
                return self.field(node[1:])
            return literal(node)
        if isinstance(node, Mapping):
            if len(node) == 1 and next(iter(node)).startswith("$"):
                operator, argument = next(iter(node.items()))
                return self._operator(operator, argument)
            return document({key: self.bound(value) for key, value in node.items()})
        if isinstance(node, list | tuple):
            return array([self.bound(item) for item in node])
        return literal(node)

    def _operator(self, operator: str, argument: object) -> Bound:
        rule = _RULES.get(operator)
        if rule is None:
            raise PipelineRefused(f"no size rule for {operator}")
        return rule(self, argument)

    def parts(self, argument: object) -> list[Bound]:
        """Bounds of an operator's arguments: each item of an array, or the one argument."""
        if isinstance(argument, list | tuple):
            return [self.bound(item) for item in argument]
        return [self.bound(argument)]

    def named(self, argument: object) -> dict[str, Bound]:
        """Bounds of an operator's named arguments ({"date": ..., "format": ...})."""
        if isinstance(argument, Mapping):
            return {str(key): self.bound(value) for key, value in argument.items()}
        return {"": self.bound(argument)}


Rule = Callable[[Sizer, object], Bound]


def _fixed(result: Bound) -> Rule:
    def rule(sizer: Sizer, argument: object) -> Bound:
        sizer.parts(argument)  # evaluated, so counted as work, but they do not grow the result
        return result

    return rule


def _one_of(sizer: Sizer, argument: object) -> Bound:
    # $min, $max, $cond, $ifNull: the result is one of the arguments (or an element of one).
    if isinstance(argument, Mapping):
        return _widest(list(sizer.named(argument).values()))
    return _widest(sizer.parts(argument))


def _switch(sizer: Sizer, argument: object) -> Bound:
    parts: list[Bound] = []
    if isinstance(argument, Mapping):
        for key, value in argument.items():
            if key == "branches" and isinstance(value, list | tuple):
                for branch in value:
                    parts.extend(sizer.named(branch).values())
            else:
                parts.append(sizer.bound(value))
    return _widest(parts)


def _concat(sizer: Sizer, argument: object) -> Bound:
    return text(sum(part.size for part in sizer.parts(argument)))


def _as_text(sizer: Sizer, argument: object) -> Bound:
    # $toString, $toLower, $toUpper: a string stays as long, a number or date becomes a short
    # text; anything else is refused by MongoDB, but is bounded generously all the same.
    return text(TEXT_GROWTH * _widest(sizer.parts(argument)).size + TEXT_FLOOR)


def _date_to_string(sizer: Sizer, argument: object) -> Bound:
    parts = sizer.named(argument)
    format_size = parts["format"].size if "format" in parts else DEFAULT_DATE_TEXT
    made = text(FORMAT_GROWTH * format_size + TEXT_FLOOR)
    return made.widest(parts.get("onNull", BOOLEAN))


def _date_from_string(sizer: Sizer, argument: object) -> Bound:
    parts = sizer.named(argument)
    return SCALAR.widest(parts.get("onError", BOOLEAN)).widest(parts.get("onNull", BOOLEAN))


def _widest(parts: list[Bound]) -> Bound:
    result = BOOLEAN
    for part in parts:
        result = result.widest(part)
    return result


_BOOLEANS = ["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$and", "$or", "$not", "$in"]
# Numbers and dates (a $subtract of two dates is a number, of a date and a number a date).
_SCALARS = [
    "$cmp", "$add", "$subtract", "$multiply", "$divide", "$mod", "$abs", "$ceil", "$floor",
    "$round", "$trunc", "$sum", "$avg", "$year", "$month", "$week", "$isoWeek",
    "$isoWeekYear", "$dayOfWeek", "$isoDayOfWeek", "$dayOfMonth", "$hour", "$dateTrunc",
    "$dateAdd", "$dateSubtract", "$dateDiff", "$size",
]  # fmt: skip

_RULES: Mapping[str, Rule] = {
    **{operator: _fixed(BOOLEAN) for operator in _BOOLEANS},
    **{operator: _fixed(SCALAR) for operator in _SCALARS},
    "$min": _one_of,
    "$max": _one_of,
    "$cond": _one_of,
    "$ifNull": _one_of,
    "$switch": _switch,
    "$concat": _concat,
    "$toString": _as_text,
    "$toLower": _as_text,
    "$toUpper": _as_text,
    "$dateToString": _date_to_string,
    "$dateFromString": _date_from_string,
}
SIZED_OPERATORS = frozenset(_RULES)


def accumulated(operator: str, value: Bound) -> Bound:
    """A $group accumulator's result: one of the values, or a number."""
    return value if operator in {"$min", "$max", "$first", "$last"} else SCALAR
