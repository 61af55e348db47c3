"""The question as a list of words, and phrase lookup over it, both in linear time.

Untrusted text goes through two simple regular expressions without nested repetition (so no
backtracking can blow up) and a scan that tries at most `MAX_PHRASE` words at each position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.core.ask.text import MAX_QUESTION

# A Discord mention, <@123> or <@!123>; a snowflake has at most 20 digits.
_MENTION = re.compile(r"<@!?([0-9]{1,20})>")
_WORD = re.compile(r"[a-z0-9]+")
# Spellings whose punctuation carries meaning, turned into words before splitting.
_SPELLINGS = (("k/d", " kd "), ("w/l", " wl "), ("s&d", " snd "), ("%", " percent "))
# Where a mention was, in the word list: no word of letters and digits can look like it.
MENTION = "<@>"
MAX_PHRASE = 4
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Words:
    """The question's words in order, mentions as `MENTION`, and the mentioned ids in order."""

    words: tuple[str, ...]
    mentions: tuple[int, ...]


def split_words(text: str) -> Words:
    # The handler has already cut the question to MAX_QUESTION; this keeps the parser's cost
    # bounded even when it is called on its own.
    text = text[: 2 * MAX_QUESTION]
    words: list[str] = []
    mentions: list[int] = []
    last = 0
    for found in _MENTION.finditer(text):
        words.extend(_plain_words(text[last : found.start()]))
        words.append(MENTION)
        mentions.append(int(found.group(1)))
        last = found.end()
    words.extend(_plain_words(text[last:]))
    return Words(tuple(words), tuple(mentions))


def phrase_key(text: str) -> tuple[str, ...]:
    """A name as the words the parser sees, e.g. "Nuketown 2025" as ("nuketown", "2025")."""
    return tuple(_plain_words(text))


def _plain_words(text: str) -> list[str]:
    lowered = text.lower()
    for spelling, word in _SPELLINGS:
        lowered = lowered.replace(spelling, word)
    return _WORD.findall(lowered)


@dataclass(frozen=True, slots=True)
class Found(Generic[V]):
    start: int
    length: int
    value: V

    @property
    def end(self) -> int:
        return self.start + self.length


def find_phrases(words: tuple[str, ...], table: Mapping[tuple[str, ...], V]) -> Iterator[Found[V]]:
    """Every phrase of `table` in `words`, longest first at each position, never overlapping."""
    longest = min(MAX_PHRASE, max((len(key) for key in table), default=0))
    position = 0
    while position < len(words):
        found = _longest_at(words, position, table, longest)
        if found is None:
            position += 1
        else:
            yield found
            position = found.end


def _longest_at(
    words: tuple[str, ...], position: int, table: Mapping[tuple[str, ...], V], longest: int
) -> Found[V] | None:
    for length in range(min(longest, len(words) - position), 0, -1):
        value = table.get(words[position : position + length])
        if value is not None:
            return Found(position, length, value)
    return None


def first(words: tuple[str, ...], table: Mapping[tuple[str, ...], V]) -> V | None:
    return next((found.value for found in find_phrases(words, table)), None)


def has_any(words: tuple[str, ...], table: Mapping[tuple[str, ...], object]) -> bool:
    return first(words, table) is not None


def phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    """Spelled-out phrases as word tuples, for writing the tables readably."""
    return tuple(tuple(text.split()) for text in texts)


def table_of(entries: Mapping[V, tuple[str, ...]]) -> dict[tuple[str, ...], V]:
    """{value: ("phrase one", "phrase two")} as the {words: value} a lookup needs."""
    return {key: value for value, texts in entries.items() for key in phrases(*texts)}


def blank(words: tuple[str, ...], spans: Sequence[Found[Any]]) -> tuple[str, ...]:
    """The words with those spans blanked out, so a later lookup cannot read them again."""
    taken = {index for span in spans for index in range(span.start, span.end)}
    return tuple("" if index in taken else word for index, word in enumerate(words))
