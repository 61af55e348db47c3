"""Personal bests and milestones a match sets: what the debrief calls out and a server may announce.

Both are derived from the player's matches as they are now, never kept as running counters:
a replayed save, a correction or a deletion cannot leave a wrong best or a miscounted total,
because nothing is incremented. Bests come from `Comparison.new_bests` (the match against the
player's best of every other match of the mode, in any server: a personal best is the
player's); milestones from the player's totals in the match's server, which already include
the match: the match crossed a milestone when its own share takes the total from under the
mark to it or past it, and the server announces its own squad's 100th win, not one counted
partly elsewhere. Each record has a `key` that names it for good (the player, the stat or
total, the value; the server too, for a milestone), so an announcement queued under it is
posted once.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from itertools import takewhile

from app.core.analytics import CareerTotals
from app.core.debriefing.comparison import Comparison
from app.core.debriefing.formatting import format_stat, in_sentence
from app.core.debriefs import Record
from app.core.game.metrics import Stat
from app.core.game.rules import Result
from app.core.i18n import _
from app.core.matches import Match
from app.core.wording import counted

# Stats that count things, by the noun one of them is: a best of 1 reads "1 kill", not "1 kills".
# The others read as a measure after the number ("5,200 score", "1:35 hill time", "23.5% accuracy").
_COUNTED_NOUNS = {
    Stat.KILLS: "kill",
    Stat.DEATHS: "death",
    Stat.ASSISTS: "assist",
    Stat.CAPTURES: "capture",
    Stat.PLANTS: "plant",
    Stat.DEFUSES: "defuse",
    Stat.OVERLOADS: "overload",
}


class Milestone(StrEnum):
    MATCHES = "matches"
    WINS = "wins"
    KILLS = "kills"


# The first mark of each ladder; the next ones are 2.5x, 5x, 10x, 25x... the first.
FIRST_MARK = {Milestone.MATCHES: 100, Milestone.WINS: 100, Milestone.KILLS: 1000}
_STEPS = (1, 2.5, 5)


def marks(milestone: Milestone) -> Iterator[int]:
    """100, 250, 500, 1,000, 2,500... (kills from 1,000): round numbers worth a shout."""
    scale = FIRST_MARK[milestone]
    while True:
        for step in _STEPS:
            yield round(scale * step)
        scale *= 10


def crossed(milestone: Milestone, before: int, after: int) -> int | None:
    """The highest mark in (before, after], if any."""
    reached = [mark for mark in takewhile(lambda m: m <= after, marks(milestone)) if mark > before]
    return reached[-1] if reached else None


def records_of(match: Match, comparison: Comparison, totals: CareerTotals) -> tuple[Record, ...]:
    """The new personal bests of the match, then the milestones it crossed."""
    return (*_bests(match, comparison), *_milestones(match, totals))


def _bests(match: Match, comparison: Comparison) -> Iterator[Record]:
    mode = match.stats.mode
    for stat in comparison.new_bests:
        value = comparison.values[stat]
        shown = format_stat(stat, value)
        amount = _best_amount(stat, value)
        what = _("only {amount}", amount=amount) if stat is Stat.DEATHS else amount
        yield Record(
            key=f"best:{match.user_id}:{mode.value}:{stat.value}:{shown}",
            text=_("New personal best: {what} in {mode}", what=what, mode=_(mode.display_name)),
        )


def _best_amount(stat: Stat, value: float) -> str:
    """The best as the sentence names it: "1 kill", "34 kills", "1:35 hill time"."""
    shown = format_stat(stat, value)
    noun = _COUNTED_NOUNS.get(stat)
    if noun and value == round(value):
        return counted(round(value), noun)
    return _("{value} {stat}", value=shown, stat=in_sentence(stat))


def _milestones(match: Match, totals: CareerTotals) -> Iterator[Record]:
    player = match.stats.player
    share = {
        Milestone.MATCHES: (totals.matches, 1),
        Milestone.WINS: (totals.wins, 1 if match.stats.result is Result.WIN else 0),
        Milestone.KILLS: (totals.kills, player.kills),
    }
    for milestone, (total, own) in share.items():
        if own and (mark := crossed(milestone, total - own, total)) is not None:
            yield Record(
                key=f"milestone:{match.guild_id}:{match.user_id}:{milestone.value}:{mark}",
                text=_("Milestone: {what} in this server", what=_milestone_text(milestone, mark)),
            )


def _milestone_text(milestone: Milestone, mark: int) -> str:
    match milestone:
        case Milestone.MATCHES:
            return _("{ordinal} match logged", ordinal=_ordinal(mark))
        case Milestone.WINS:
            return _("{ordinal} win", ordinal=_ordinal(mark))
        case Milestone.KILLS:
            return counted(mark, "kill")


def _ordinal(n: int) -> str:
    # Every mark ends in 0: "th" throughout (in English).
    return _("{n:,}th", n=n)
