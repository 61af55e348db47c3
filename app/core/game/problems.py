"""Turn pydantic's validation errors into short lines a player or an operator can act on."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from pydantic_core import ErrorDetails

from app.core.game.errors import InconsistentFields

_INPUT_PREVIEW_LENGTH = 40


def format_path(loc: Sequence[int | str]) -> str:
    """``("weapons", 2, "kills")`` → ``"weapons[2].kills"``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def join_path(base: str, relative: str) -> str:
    if not base:
        return relative
    if not relative:
        return base
    return f"{base}.{relative}"


def problem_line(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


def preview(value: object) -> str:
    text = repr(value)
    if len(text) > _INPUT_PREVIEW_LENGTH:
        return text[: _INPUT_PREVIEW_LENGTH - 1] + "…"
    return text


def describe(error: ErrorDetails) -> str:
    """A short message for one error, without its path."""
    describer = _DESCRIBERS.get(error["type"])
    return describer(error["input"], error.get("ctx", {})) if describer else error["msg"]


def describe_input(error: ErrorDetails) -> str:
    """What is wrong with one input of a form, in the words `describe` gives a player; a
    choice outside the list is sent only by a tampered form, and pydantic's own text (a type
    this module does not know) is never shown."""
    if error["type"] in _CHOICE_ERRORS:
        return "choose one of the options"
    if error["type"] in _DESCRIBERS:
        return describe(error)
    return "not a valid value"


def expand(error: ErrorDetails, path: str) -> list[str] | None:
    """The lines of a cross-field error, or None when ``error`` is an ordinary one."""
    cause = error.get("ctx", {}).get("error")
    if not isinstance(cause, InconsistentFields):
        return None
    return [problem_line(join_path(path, where), message) for where, message in cause.problems]


def _whole_number(value: object, ctx: Mapping[str, object]) -> str:
    return f"expected a whole number, got {preview(value)}"


def _number(value: object, ctx: Mapping[str, object]) -> str:
    return f"expected a number, got {preview(value)}"


def _at_least(value: object, ctx: Mapping[str, object]) -> str:
    if ctx.get("ge") == 0:
        return f"{value} cannot be negative"
    return f"{value} is less than the minimum of {ctx.get('ge')}"


def _at_most(value: object, ctx: Mapping[str, object]) -> str:
    return f"{value} is more than the maximum of {ctx.get('le')}"


def _too_long(value: object, ctx: Mapping[str, object]) -> str:
    return f"at most {ctx.get('max_length')} allowed, got {ctx.get('actual_length')}"


_CHOICE_ERRORS = frozenset({"enum", "literal_error"})

_DESCRIBERS: Mapping[str, Callable[[object, Mapping[str, object]], str]] = {
    "missing": lambda value, ctx: "missing",
    "extra_forbidden": lambda value, ctx: "unexpected field",
    "int_type": _whole_number,
    "int_parsing": _whole_number,
    "int_from_float": _whole_number,
    "float_type": _number,
    "float_parsing": _number,
    "greater_than_equal": _at_least,
    "less_than_equal": _at_most,
    "string_type": lambda value, ctx: f"expected text, got {preview(value)}",
    "string_too_short": lambda value, ctx: "cannot be empty",
    "string_too_long": lambda value, ctx: f"longer than {ctx.get('max_length')} characters",
    "too_long": _too_long,
    "enum": lambda value, ctx: f"{preview(value)} is not one of {ctx.get('expected')}",
    "literal_error": lambda value, ctx: f"{preview(value)} is not one of {ctx.get('expected')}",
    "model_type": lambda value, ctx: "expected an object",
    "model_attributes_type": lambda value, ctx: "expected an object",
    "dict_type": lambda value, ctx: "expected an object",
    "list_type": lambda value, ctx: "expected a list",
    "tuple_type": lambda value, ctx: "expected a list",
    "frozen_set_type": lambda value, ctx: "expected a list",
    "set_type": lambda value, ctx: "expected a list",
}
