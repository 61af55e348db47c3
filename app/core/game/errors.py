"""Errors raised by the game model and the catalog.

Each carries a list of short problems of the form ``"<field path>: <what is wrong>"`` so an
adapter can show all of them at once instead of making the user fix one field at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.errors import DomainError
from app.core.game.field_names import readable_problem
from app.core.i18n import N_, _


class GameDataError(Exception):
    """Game data (match stats or the catalog) that cannot be accepted as it is."""


class InvalidMatchStats(GameDataError, DomainError):
    """Match stats that break the rules of their mode, e.g. 47 deaths in Search and Destroy.

    A DomainError: the user is told every problem at once, and nothing is saved.
    """

    def __init__(
        self, problems: Sequence[str], *, lead: str = N_("These stats don't add up")
    ) -> None:
        self.problems = list(problems)  # as found, "<path>: <message>", for an API's `errors`
        listed = "\n".join(f"• {readable_problem(problem)}" for problem in self.problems)
        # Each problem was written in the interaction's language when it was found.
        super().__init__(f"{_(lead)}:\n{listed}")


class InvalidCatalog(GameDataError):
    """A catalog data file that is malformed; each problem names the entry at fault."""

    def __init__(self, problems: Sequence[str], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__(prefix + "; ".join(self.problems))


class UnknownStat(GameDataError, DomainError):
    """A stat name that does not exist, or does not exist in the given mode."""

    def __init__(self, name: str, valid: Sequence[str]) -> None:
        self.name = name
        self.valid = tuple(valid)
        super().__init__(
            _(
                "unknown stat {name}; choose one of: {valid}",
                name=repr(name),
                valid=", ".join(valid),
            )
        )


class StatNotInMode(UnknownStat):
    """A stat that only one mode has, asked for together with another mode: defuses in
    Hardpoint. The message says what to do instead, in the names the user picked from."""

    def __init__(self, name: str, label: str, its_mode: str, valid: Sequence[str]) -> None:
        self.name = name
        self.valid = tuple(valid)
        # English agrees the verb with the stat's name ("Plants exist", "Hill time exists").
        if label.endswith("s"):
            text = _(
                "{stat} only exist in {mode}; pick another stat or mode.",
                stat=_(label),
                mode=_(its_mode),
            )
        else:
            text = _(
                "{stat} only exists in {mode}; pick another stat or mode.",
                stat=_(label),
                mode=_(its_mode),
            )
        DomainError.__init__(self, text)


class InconsistentFields(ValueError):
    """Cross-field problems found while validating one model.

    It subclasses ValueError so pydantic reports it as a normal validation error (a 422 in an
    API); `validate_extraction` unpacks ``problems`` into one readable line each.
    """

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "; ".join(f"{path}: {message}" if path else message for path, message in self.problems)
        )
