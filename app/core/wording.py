"""Wording for replies: counts with the right plural, and a player named or addressed.

One place for it, so "1 kills", "you has" and "Matches of you" cannot come back one reply at a
time: every reply that counts something or names a player goes through these. Counts go
through the catalog (`ngettext`), so each language gets its own plural rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.core.i18n import DEFAULT_LANGUAGE, _, current_language, ngettext

# Nouns whose plural adds "es" ("matches", "losses"); every noun the replies count is regular.
_SIBILANT_ENDINGS = ("s", "sh", "ch", "x", "z")


def plural(noun: str, count: float) -> str:
    """The noun as it reads after ``count``: "kill" for 1, "kills" otherwise (0 kills)."""
    if count == 1:
        return noun
    return noun + "es" if noun.endswith(_SIBILANT_ENDINGS) else noun + "s"


# Each noun a reply counts, with its forms in the catalog; each a call of its own, so the
# catalog's extraction finds both forms.
_COUNTS: Mapping[str, Callable[[int], str]] = {
    "kill": lambda n: ngettext("{count:,} kill", "{count:,} kills", n),
    "death": lambda n: ngettext("{count:,} death", "{count:,} deaths", n),
    "assist": lambda n: ngettext("{count:,} assist", "{count:,} assists", n),
    "capture": lambda n: ngettext("{count:,} capture", "{count:,} captures", n),
    "plant": lambda n: ngettext("{count:,} plant", "{count:,} plants", n),
    "defuse": lambda n: ngettext("{count:,} defuse", "{count:,} defuses", n),
    "overload": lambda n: ngettext("{count:,} overload", "{count:,} overloads", n),
    "headshot": lambda n: ngettext("{count:,} headshot", "{count:,} headshots", n),
    "match": lambda n: ngettext("{count:,} match", "{count:,} matches", n),
    "player": lambda n: ngettext("{count:,} player", "{count:,} players", n),
    "round": lambda n: ngettext("{count:,} round", "{count:,} rounds", n),
    "number": lambda n: ngettext("{count:,} number", "{count:,} numbers", n),
}


def counted(count: int, noun: str) -> str:
    """A count with its noun, in the interaction's language: "1 kill", "2 kills", "1,204
    matches"; a noun the catalog lacks is counted in English."""
    form = _COUNTS.get(noun)
    return form(count) if form else f"{count:,} {plural(noun, count)}"


def possessive(name: str) -> str:
    """A name's possessive: "Alex's", and "Chris'" for a name ending in s; in another
    language, as its catalog says it ("de Alex")."""
    if current_language() is not DEFAULT_LANGUAGE:
        return _("{name}'s", name=name)
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


@dataclass(frozen=True, slots=True)
class Person:
    """Whom a reply is about: the reader ("you") or a named player."""

    name: str
    is_reader: bool = False

    @property
    def subject(self) -> str:
        """ "you" or "Alex", as the subject of a sentence."""
        return _("you") if self.is_reader else self.name

    @property
    def possessive(self) -> str:
        """ "your" or "Alex's"."""
        return _("your") if self.is_reader else possessive(self.name)

    def has(self) -> str:
        """ "you have" or "Alex has"."""
        if self.is_reader:
            return _("you have")
        return _("{name} has", name=self.name)


def capitalised(text: str) -> str:
    """The first letter upper-cased, the rest as it is (unlike `str.capitalize`)."""
    return text[:1].upper() + text[1:]
