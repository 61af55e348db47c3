"""The questions the local planner answers, said to a user whose question was none of them.

The planner reads English questions only, so the examples, the periods and the stats stay
English in every language (they are what to type); what each shape is, is translated.
"""

from __future__ import annotations

from app.core.ask.local.stats import MORE, NAMED
from app.core.i18n import N_, _

# Each shape with an example a user can copy.
SHAPES = (
    (N_("best or worst map or mode by a stat"), "my best map by K/D this month"),
    (N_("a total or an average"), "my average kills this week"),
    (N_("who leads a stat"), "who has the most wins this week"),
    (N_("the trend of a stat"), "is my K/D improving"),
    (N_("two players head to head"), "me vs @name in kills"),
    (N_("record games"), "my most kills in a match"),
)
PERIODS = "today, this week, last week, this month, the last N days, the last N matches, all time"


def shapes_help(lead: str = N_("I can answer")) -> str:
    """The shapes, periods and stats, in a few lines that fit a Discord message; `lead` is a
    catalog message, translated here."""
    shapes = "; ".join(f'{_(shape)} ("{example}")' for shape, example in SHAPES)
    stats = ", ".join(stat.label for stat in (*NAMED, *MORE))
    return _(
        "{lead} {shapes}. Periods: {periods}. Stats: {stats}.",
        lead=_(lead),
        shapes=shapes,
        periods=PERIODS,
        stats=stats,
    )
