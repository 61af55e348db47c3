"""Turns jsonschema's error trees into the few precise errors Discord would report.

A failed union holds one error list per candidate shape. The shape the body was meant to be
is the one whose errors reach deepest into the body; a tie between a real problem and a
mere discriminator mismatch (`type` not in the enum) goes to the real problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jsonschema import ValidationError

from .errors import BodyError

_DISCRIMINATORS = frozenset({"enum", "const"})


def to_body_errors(errors: Iterable[ValidationError]) -> list[BodyError]:
    found: list[BodyError] = []
    for error in errors:
        body_error = _describe(_most_relevant(error))
        if body_error not in found:
            found.append(body_error)
    return found


def _most_relevant(error: ValidationError) -> ValidationError | list[ValidationError]:
    """The leaf worth reporting, or all the discriminator leaves if nothing matched at all."""
    leaves = list(_leaves(error))
    best = max(
        leaves, key=lambda leaf: (len(leaf.absolute_path), leaf.validator not in _DISCRIMINATORS)
    )
    if best.validator in _DISCRIMINATORS:
        return [
            leaf
            for leaf in leaves
            if leaf.validator in _DISCRIMINATORS and leaf.absolute_path == best.absolute_path
        ]
    return best


def _leaves(error: ValidationError) -> Iterable[ValidationError]:
    if not error.context:
        yield error
        return
    for child in error.context:
        yield from _leaves(child)


def _describe(found: ValidationError | list[ValidationError]) -> BodyError:
    if isinstance(found, list):
        values = {v for leaf in found for v in _choices(leaf)}
        allowed = [repr(v) for v in sorted(values, key=lambda v: (str(type(v)), str(v).zfill(20)))]
        location = tuple(found[0].absolute_path)
        return BodyError(
            location, "BASE_TYPE_CHOICES", f"Value must be one of {{{', '.join(allowed)}}}."
        )
    location = tuple(found.absolute_path)
    keyword, bound = str(found.validator), found.validator_value
    if keyword == "required":
        missing = found.message.split("'")[1] if "'" in found.message else ""
        return BodyError((*location, missing), "BASE_TYPE_REQUIRED", "This field is required")
    code, message = _CODES.get(keyword, ("BASE_TYPE_INVALID", "{message}"))
    return BodyError(location, code, message.format(bound=bound, message=found.message))


def _choices(leaf: ValidationError) -> list[Any]:
    value: Any = leaf.validator_value
    return list(value) if leaf.validator == "enum" else [value]


_CODES: dict[str, tuple[str, str]] = {
    "maxLength": ("BASE_TYPE_MAX_LENGTH", "Must be {bound} or fewer in length."),
    "minLength": ("BASE_TYPE_MIN_LENGTH", "Must be {bound} or more in length."),
    "maxItems": ("BASE_TYPE_MAX_LENGTH", "Must be {bound} or fewer in length."),
    "minItems": ("BASE_TYPE_MIN_LENGTH", "Must be {bound} or more in length."),
    "maximum": ("NUMBER_TYPE_MAX", "Value should be less than or equal to {bound}."),
    "minimum": ("NUMBER_TYPE_MIN", "Value should be greater than or equal to {bound}."),
    "type": ("BASE_TYPE_BAD_TYPE", "{message}"),
    "format": ("BASE_TYPE_BAD_FORMAT", "{message}"),
    "x-discord-union": ("UNION_TYPE_CHOICES", "{message}"),
}
