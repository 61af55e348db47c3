"""Turn pydantic's validation errors into short lines a player or an operator can act on, in
the language of the interaction (or request) that sent the stats; their paths stay English
(``player.deaths``), as the body or form names its fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from pydantic_core import ErrorDetails

from app.core.game.errors import InconsistentFields
from app.core.i18n import _

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
    # An error of a type this module does not know: pydantic's text, in English.
    return describer(error["input"], error.get("ctx", {})) if describer else error["msg"]


def describe_input(error: ErrorDetails) -> str:
    """What is wrong with one input of a form, in the words `describe` gives a player; a
    choice outside the list is sent only by a tampered form, and pydantic's own text (a type
    this module does not know) is never shown."""
    if error["type"] in _CHOICE_ERRORS:
        return _("choose one of the options")
    if error["type"] in _DESCRIBERS:
        return describe(error)
    return _("not a valid value")


def expand(error: ErrorDetails, path: str) -> list[str] | None:
    """The lines of a cross-field error, or None when ``error`` is an ordinary one."""
    cause = error.get("ctx", {}).get("error")
    if not isinstance(cause, InconsistentFields):
        return None
    return [problem_line(join_path(path, where), message) for where, message in cause.problems]


def _whole_number(value: object, ctx: Mapping[str, object]) -> str:
    return _("expected a whole number, got {value}", value=preview(value))


def _number(value: object, ctx: Mapping[str, object]) -> str:
    return _("expected a number, got {value}", value=preview(value))


def _at_least(value: object, ctx: Mapping[str, object]) -> str:
    if ctx.get("ge") == 0:
        return _("{value} cannot be negative", value=value)
    return _("{value} is less than the minimum of {minimum}", value=value, minimum=ctx.get("ge"))


def _at_most(value: object, ctx: Mapping[str, object]) -> str:
    return _("{value} is more than the maximum of {maximum}", value=value, maximum=ctx.get("le"))


def _too_long(value: object, ctx: Mapping[str, object]) -> str:
    return _(
        "at most {maximum} allowed, got {actual}",
        maximum=ctx.get("max_length"),
        actual=ctx.get("actual_length"),
    )


def _not_one_of(value: object, ctx: Mapping[str, object]) -> str:
    return _("{value} is not one of {expected}", value=preview(value), expected=ctx.get("expected"))


def _above_mode_limit(value: object, ctx: Mapping[str, object]) -> str:
    """The game's own limit of a stat in a mode (`PlayerStatsBase`), with its numbers."""
    return _(
        "{value} is more than possible in {mode} (max {limit})",
        value=ctx.get("value", value),
        mode=_(str(ctx.get("mode", ""))),
        limit=ctx.get("limit"),
    )


_CHOICE_ERRORS = frozenset({"enum", "literal_error"})

_DESCRIBERS: Mapping[str, Callable[[object, Mapping[str, object]], str]] = {
    "missing": lambda value, ctx: _("missing"),
    "extra_forbidden": lambda value, ctx: _("unexpected field"),
    "int_type": _whole_number,
    "int_parsing": _whole_number,
    "int_from_float": _whole_number,
    "float_type": _number,
    "float_parsing": _number,
    "greater_than_equal": _at_least,
    "less_than_equal": _at_most,
    "string_type": lambda value, ctx: _("expected text, got {value}", value=preview(value)),
    "string_too_short": lambda value, ctx: _("cannot be empty"),
    "string_too_long": lambda value, ctx: _(
        "longer than {maximum} characters", maximum=ctx.get("max_length")
    ),
    "too_long": _too_long,
    "enum": _not_one_of,
    "literal_error": _not_one_of,
    "model_type": lambda value, ctx: _("expected an object"),
    "model_attributes_type": lambda value, ctx: _("expected an object"),
    "dict_type": lambda value, ctx: _("expected an object"),
    "list_type": lambda value, ctx: _("expected a list"),
    "tuple_type": lambda value, ctx: _("expected a list"),
    "frozen_set_type": lambda value, ctx: _("expected a list"),
    "set_type": lambda value, ctx: _("expected a list"),
    # The game model's own errors (app/core/game/players.py).
    "above_mode_limit": _above_mode_limit,
    "number_expected": lambda value, ctx: _("expected a number, not true or false"),
}


def describe_request_field(error: ErrorDetails) -> str:
    """What is wrong with one field of an API request, without repeating the value sent (it
    could be a secret or markup): "expected a whole number", "must be at most 100"."""
    ctx = error.get("ctx", {})
    describer = _WITHOUT_INPUT.get(error["type"])
    return describer(ctx) if describer else _("not a valid value")


_WITHOUT_INPUT: Mapping[str, Callable[[Mapping[str, object]], str]] = {
    "missing": lambda ctx: _("missing"),
    "extra_forbidden": lambda ctx: _("unexpected field"),
    "int_type": lambda ctx: _("expected a whole number"),
    "int_parsing": lambda ctx: _("expected a whole number"),
    "int_from_float": lambda ctx: _("expected a whole number"),
    "float_type": lambda ctx: _("expected a number"),
    "float_parsing": lambda ctx: _("expected a number"),
    "bool_type": lambda ctx: _("expected true or false"),
    "bool_parsing": lambda ctx: _("expected true or false"),
    "greater_than_equal": lambda ctx: _("must be at least {minimum}", minimum=ctx.get("ge")),
    "less_than_equal": lambda ctx: _("must be at most {maximum}", maximum=ctx.get("le")),
    "string_type": lambda ctx: _("expected text"),
    "string_too_short": lambda ctx: _("cannot be empty"),
    "string_too_long": lambda ctx: _(
        "longer than {maximum} characters", maximum=ctx.get("max_length")
    ),
    "string_pattern_mismatch": lambda ctx: _("not in the expected format"),
    "enum": lambda ctx: _("choose one of {expected}", expected=ctx.get("expected")),
    "literal_error": lambda ctx: _("choose one of {expected}", expected=ctx.get("expected")),
    "model_type": lambda ctx: _("expected an object"),
    "model_attributes_type": lambda ctx: _("expected an object"),
    "dict_type": lambda ctx: _("expected an object"),
    "list_type": lambda ctx: _("expected a list"),
    "too_long": lambda ctx: _("at most {maximum} allowed", maximum=ctx.get("max_length")),
}
