"""Parse JSON written by a model without letting its shape crash or exhaust the process.

`json.loads` trusts its input more than a model's output deserves: nesting a few thousand
levels deep raises RecursionError (not ValueError), a 5,000-digit number raises ValueError
from Python's int-string conversion limit, `NaN` and `1e999` become non-finite floats, a
repeated key silently overwrites the first, and `\\u0000` or a lone surrogate pass through
to MongoDB and Discord, which refuse them. Every one of those ends here as `UntrustedJson`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator

# Ample for every answer Debrief asks for (an extraction is about 2 KB), small enough that the
# depth scan and the parse stay in the milliseconds.
MAX_CHARS = 64_000
# An extraction nests 3 levels and the guard accepts pipelines 10 expressions deep.
MAX_DEPTH = 32
# Stats and pipeline literals fit in MongoDB's 64-bit integers (19 digits and a sign); longer
# digit strings are refused before Python converts them, which is slow for huge ones.
MAX_INTEGER_CHARS = 20
_INT64 = range(-(2**63), 2**63)

_UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")
_OPENERS = frozenset("[{")
_CLOSERS = frozenset("]}")


class UntrustedJson(ValueError):
    """Text that is not JSON Debrief can safely use; ``reason`` is short, for the logs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse(text: str, *, max_chars: int = MAX_CHARS, max_depth: int = MAX_DEPTH) -> object:
    """The JSON value in ``text``, checked for size and depth before parsing and for unsafe
    numbers and strings after; UntrustedJson otherwise."""
    if len(text) > max_chars:
        raise UntrustedJson(f"longer than {max_chars} characters")
    if nesting_depth(text) > max_depth:
        raise UntrustedJson(f"nested deeper than {max_depth}")
    try:
        value = json.loads(
            text,
            parse_int=_integer,
            parse_float=_finite_float,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
        )
    except UntrustedJson:
        raise
    except (ValueError, RecursionError, TypeError) as error:
        # The depth scan makes RecursionError unlikely; it stays caught should the scan and
        # the parser ever disagree.
        raise UntrustedJson(f"not JSON ({type(error).__name__})") from None
    if any(_UNSAFE_TEXT.search(string) for string in _strings(value)):
        raise UntrustedJson("a NUL character or a lone surrogate in a string")
    return value


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text``, brackets inside strings aside.

    Linear and without recursion, so it is safe on any input; text that is not JSON gets
    some number, and the parser refuses it anyway.
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSERS:
            depth -= 1
    return deepest


def _integer(digits: str) -> int:
    if len(digits) > MAX_INTEGER_CHARS or int(digits) not in _INT64:
        raise UntrustedJson("an integer beyond 64 bits")
    return int(digits)


def _finite_float(digits: str) -> float:
    # Python reads "1e999" as infinity; MongoDB and the game model want finite numbers.
    number = float(digits)
    if not math.isfinite(number):
        raise UntrustedJson("a number out of range")
    return number


def _no_constant(name: str) -> float:
    raise UntrustedJson(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # Which of two values for one key wins differs between parsers; refuse the ambiguity.
    value = dict(pairs)
    if len(value) != len(pairs):
        raise UntrustedJson("an object repeats a key")
    return value


def _strings(value: object) -> Iterator[str]:
    """Every key and string value; without recursion, though the depth is already bounded."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
