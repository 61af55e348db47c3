"""The small words of a templated answer: whose, plurals, units, and the question's context."""

from __future__ import annotations

import math
from typing import TypeGuard

from app.core.ask.local.periods import Span
from app.core.ask.local.question import Question
from app.core.ask.local.stats import Kind
from app.core.game.modes import Mode

PERCENT_STATS = frozenset({Kind.ACCURACY, Kind.WINS})


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def matches(count: int) -> str:
    return plural(count, "match", "matches")


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def whose(question: Question, user_id: int | None, *, capital: bool = True) -> str:
    """ "Your", "<@id>'s" or "This server's", for the player (or nobody) it is about."""
    if user_id is None:
        return "This server's" if capital else "this server's"
    if user_id == question.asker:
        return "Your" if capital else "your"
    return f"{mention(user_id)}'s"


def who(question: Question, user_id: int | None) -> str:
    """ "You", "<@id>" or "This server's players", as the subject of a verb in the past."""
    if user_id is None:
        return "This server's players"
    return "You" if user_id == question.asker else mention(user_id)


def stat_name(question: Question) -> str:
    """The value being compared: "K/D", "average kills", "total kills", "win rate"."""
    stat = question.stat
    if stat.kind is Kind.WINS:
        return "win rate" if question.averaged else "wins"
    if stat.kind is Kind.COUNT:
        return f"{'average' if question.averaged else 'total'} {stat.label}"
    return stat.label


def context(question: Question, *, overall: bool = True) -> str:
    """Where and when, to follow the stat: " in Hardpoint on Den this week"; `overall`: say
    "overall" for all time."""
    parts = []
    if question.mode is not None:
        parts.append(f"in {question.mode.display_name}")
    if question.map_name is not None:
        parts.append(f"on {question.map_name}")
    if overall or question.period.span is not Span.ALL_TIME:
        parts.append(question.period.text)
    return "".join(f" {part}" for part in parts)


def number(question: Question, value: object, *, averaged: bool | None = None) -> str:
    """A value of the question's stat with its unit: 1.42, 23.5, 62.5%, 1 min 35 s."""
    if not is_number(value):
        return "—"
    stat = question.stat
    per_match = question.averaged if averaged is None else averaged
    if stat.kind in PERCENT_STATS and (stat.kind is Kind.ACCURACY or per_match):
        return f"{_trimmed(value, 1)}%"
    if stat.seconds:
        return duration(value)
    if stat.kind is Kind.KD:
        return f"{value:.2f}"
    return _trimmed(value, 1) if per_match else f"{round(value):,}"


def is_number(value: object) -> TypeGuard[int | float]:
    """A finite number (never a flag, never infinity): the only values a template says."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def mode_name(value: object) -> str:
    try:
        return Mode(str(value)).display_name
    except ValueError:
        return str(value)


def ordinal(position: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    if 10 <= position % 100 <= 20:
        suffix = "th"
    return f"{position}{suffix}"


def _trimmed(value: float, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text[: -places - 1] if text.endswith("." + "0" * places) else text
