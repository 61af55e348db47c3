"""What one cell of a screen says: a count, an m:ss time, a percentage or a known word.

Numbers are read forgivingly: the letters OCR mistakes for digits in a numeric cell (O for
0, l or I for 1, S for 5, B for 8) are folded back, and separators it invents or drops in a
time are tolerated. A cell that still isn't a number reads as None: a missing stat is
reported by the game model's validation, never guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "i": "1", "|": "1",
     "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9"}
)  # fmt: skip
_TIME = re.compile(r"^(\d{1,2})\D{0,2}(\d{2})$")
_PERCENT = re.compile(r"^(\d{1,3})\D?(\d)$")
# How alike an OCR'd word must be to a known one (difflib's ratio).
WORD_MATCH = 0.75


def digits(text: str) -> str:
    """The text with look-alike letters as digits and spaces and stray marks dropped."""
    folded = text.translate(_DIGIT_LOOKALIKES)
    return "".join(char for char in folded if char not in " ,'`.")


def count(text: str) -> int | None:
    value = digits(text)
    return int(value) if value.isdigit() else None


def seconds(text: str) -> int | None:
    """``m:ss`` as seconds; also ``m.ss``, ``m ss`` and ``mss`` (a dropped colon)."""
    folded = text.translate(_DIGIT_LOOKALIKES).replace(" ", "")
    match = _TIME.match(folded)
    if match is None:
        return None
    minutes, secs = int(match[1]), int(match[2])
    return minutes * 60 + secs if secs < 60 else None


def percent(text: str) -> float | None:
    """``27.5%`` as 27.5; the screen always prints one decimal, so a dropped point is
    put back before the last digit."""
    folded = text.translate(_DIGIT_LOOKALIKES).replace(" ", "").rstrip("%")
    match = _PERCENT.match(folded)
    if match is None:
        return None
    value = float(f"{match[1]}.{match[2]}")
    return value if value <= 100 else None


def squeezed(text: str) -> str:
    """Upper case letters and digits only: how words are compared."""
    return "".join(char for char in text.upper() if char.isalnum())


def best_word(text: str, choices: Iterable[str]) -> str | None:
    """The known word ``text`` reads as, if one is close enough."""
    wanted = squeezed(text)
    if not wanted:
        return None
    scored = [
        (difflib.SequenceMatcher(None, wanted, squeezed(choice)).ratio(), choice)
        for choice in choices
    ]
    ratio, choice = max(scored, default=(0.0, None))
    return choice if ratio >= WORD_MATCH else None
