"""English for replies: counts with the right plural, and a player named or addressed.

One place for it, so "1 kills", "you has" and "Matches of you" cannot come back one reply at a
time: every reply that counts something or names a player goes through these.
"""

from __future__ import annotations

from dataclasses import dataclass

# Nouns whose plural adds "es" ("matches", "losses"); every noun the replies count is regular.
_SIBILANT_ENDINGS = ("s", "sh", "ch", "x", "z")


def plural(noun: str, count: float) -> str:
    """The noun as it reads after ``count``: "kill" for 1, "kills" otherwise (0 kills)."""
    if count == 1:
        return noun
    return noun + "es" if noun.endswith(_SIBILANT_ENDINGS) else noun + "s"


def counted(count: int, noun: str) -> str:
    """A count with its noun: "1 kill", "2 kills", "1,204 matches"."""
    return f"{count:,} {plural(noun, count)}"


def possessive(name: str) -> str:
    """A name's possessive: "Alex's", and "Chris'" for a name ending in s."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


@dataclass(frozen=True, slots=True)
class Person:
    """Whom a reply is about: the reader ("you") or a named player."""

    name: str
    is_reader: bool = False

    @property
    def subject(self) -> str:
        """ "you" or "Alex", as the subject of a sentence."""
        return "you" if self.is_reader else self.name

    @property
    def possessive(self) -> str:
        """ "your" or "Alex's"."""
        return "your" if self.is_reader else possessive(self.name)

    def has(self) -> str:
        """ "you have" or "Alex has"."""
        return f"{self.subject} {'have' if self.is_reader else 'has'}"


def capitalised(text: str) -> str:
    """The first letter upper-cased, the rest as it is (unlike `str.capitalize`)."""
    return text[:1].upper() + text[1:]
