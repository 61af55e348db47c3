"""The questions the local planner answers, said to a user whose question was none of them."""

from __future__ import annotations

from app.core.ask.local.stats import MORE, NAMED

# Each shape with an example a user can copy.
SHAPES = (
    ("best or worst map or mode by a stat", "my best map by K/D this month"),
    ("a total or an average", "my average kills this week"),
    ("who leads a stat", "who has the most wins this week"),
    ("the trend of a stat", "is my K/D improving"),
    ("two players head to head", "me vs @name in kills"),
    ("record games", "my most kills in a match"),
)
PERIODS = "today, this week, last week, this month, the last N days, the last N matches, all time"


def shapes_help(lead: str = "I can answer") -> str:
    """The shapes, periods and stats, in a few lines that fit a Discord message."""
    shapes = "; ".join(f'{shape} ("{example}")' for shape, example in SHAPES)
    stats = ", ".join(stat.label for stat in (*NAMED, *MORE))
    return f"{lead} {shapes}. Periods: {PERIODS}. Stats: {stats}."
