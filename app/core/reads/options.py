"""The choices a user picks from, defined once: the bot's slash-command choices and the API's
enums are both made from these, so a period or a scope cannot mean two things.

Modes and stats are the game model's own enums (`Mode`, `Stat`); what they add here is the
label a user sees next to each value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.guilds import AskScope


class Period(StrEnum):
    """How far back a leaderboard or a summary looks, ending now.

    SEASON is the server's current season (`app/core/seasons.py`): since an admin last started
    one, or all time in a server that never did. A leaderboard, and a summary in one server,
    count from that server's season; without a server (a summary of every server, the
    dashboard's match list) it covers all time."""

    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    ALL = "all"

    @property
    def label(self) -> str:
        return _PERIOD_LABELS[self]

    def since(self, now: datetime, season_start: datetime | None = None) -> datetime | None:
        """The start of the period ending now; None for all time."""
        if self is Period.SEASON:
            return season_start
        days = _PERIOD_DAYS.get(self)
        return None if days is None else now - timedelta(days=days)


# Rolling windows rather than calendar weeks and months: a Monday morning's "week" is not
# empty, and every server sees the same span whatever its time zone.
_PERIOD_DAYS = {Period.WEEK: 7, Period.MONTH: 30}
_PERIOD_LABELS = {
    Period.WEEK: "Last 7 days",
    Period.MONTH: "Last 30 days",
    Period.SEASON: "This season",
    Period.ALL: "All time",
}
DEFAULT_LEADERBOARD_PERIOD = Period.SEASON

# Whose matches an /ask answer covers, as the asker says it and as an admin sets the ceiling.
_ASK_SCOPE_LABELS = {AskScope.ME: "Only my matches", AskScope.SERVER: "The whole server"}
_ASK_SCOPE_SETTING_LABELS = {
    AskScope.ME: "Only the asker's matches",
    AskScope.SERVER: "The whole server",
}


@dataclass(frozen=True, slots=True)
class Option:
    """One choice: what the user sees, and the value the program gets."""

    label: str
    value: str


def mode_options() -> list[Option]:
    return [Option(mode.display_name, mode.value) for mode in Mode]


def stat_options() -> list[Option]:
    return [Option(stat.label, stat.value) for stat in Stat]


def period_options() -> list[Option]:
    return [Option(period.label, period.value) for period in Period]


def ask_scope_options() -> list[Option]:
    """For the asker: "only my matches" or "the whole server"."""
    return _options(_ASK_SCOPE_LABELS.items())


def ask_scope_setting_options() -> list[Option]:
    """For an admin setting the ceiling of every /ask in the server."""
    return _options(_ASK_SCOPE_SETTING_LABELS.items())


def _options(labelled: Iterable[tuple[StrEnum, str]]) -> list[Option]:
    return [Option(label, member.value) for member, label in labelled]
