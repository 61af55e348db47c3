"""The period a question covers: calendar spans, the last N days, the last N matches, all time.

Calendar spans are in UTC with weeks starting on Monday, like the rest of Debrief's weeks;
they become fixed dates from the handler's clock, compared with played_at as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from app.core.ask.local.words import Found, find_phrases, table_of
from app.core.i18n import N_, _, ngettext

MAX_DAYS = 3650
MAX_MATCHES = 100


class Span(Enum):
    ALL_TIME = "all time"
    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this week"
    LAST_WEEK = "last week"
    THIS_MONTH = "this month"
    LAST_MONTH = "last month"
    THIS_YEAR = "this year"
    HOURS = "hours"
    DAYS = "days"
    MATCHES = "matches"


@dataclass(frozen=True, slots=True)
class Period:
    span: Span = Span.ALL_TIME
    # The N of "the last N days" or "the last N matches".
    count: int = 0

    @property
    def text(self) -> str:
        """As a sentence says it: "this week", "over the last 30 days", "overall"."""
        count = self.count
        if self.span is Span.HOURS:
            return ngettext("over the last hour", "over the last {count} hours", count)
        if self.span is Span.DAYS:
            return ngettext("over the last day", "over the last {count} days", count)
        if self.span is Span.MATCHES:
            return ngettext("in the last match", "over the last {count} matches", count)
        # Said even though it is the default, so that nobody mistakes it for a period they asked.
        return _(_SPAN_TEXTS[self.span])

    @property
    def days(self) -> float | None:
        """Roughly how many days it covers, to choose a trend's buckets; None: unbounded."""
        if self.span is Span.HOURS:
            return self.count / 24
        return _SPAN_DAYS.get(self.span, self.count if self.span is Span.DAYS else None)

    def bounds(self, now: datetime) -> tuple[datetime | None, datetime | None]:
        """The first moment in the period and the first after it (None: open)."""
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        monday = today - timedelta(days=today.weekday())
        first_of_month = today.replace(day=1)
        match self.span:
            case Span.TODAY:
                return today, None
            case Span.YESTERDAY:
                return today - timedelta(days=1), today
            case Span.THIS_WEEK:
                return monday, None
            case Span.LAST_WEEK:
                return monday - timedelta(days=7), monday
            case Span.THIS_MONTH:
                return first_of_month, None
            case Span.LAST_MONTH:
                return (first_of_month - timedelta(days=1)).replace(day=1), first_of_month
            case Span.THIS_YEAR:
                return today.replace(month=1, day=1), None
            case Span.HOURS:
                return now - timedelta(hours=self.count), None
            case Span.DAYS:
                return now - timedelta(days=self.count), None
            case _:
                return None, None


# What the calendar spans are called in an answer (the questions are read in English only).
_SPAN_TEXTS = {
    Span.ALL_TIME: N_("overall"),
    Span.TODAY: N_("today"),
    Span.YESTERDAY: N_("yesterday"),
    Span.THIS_WEEK: N_("this week"),
    Span.LAST_WEEK: N_("last week"),
    Span.THIS_MONTH: N_("this month"),
    Span.LAST_MONTH: N_("last month"),
    Span.THIS_YEAR: N_("this year"),
}
_SPAN_DAYS = {
    Span.TODAY: 1.0,
    Span.YESTERDAY: 1.0,
    Span.THIS_WEEK: 7.0,
    Span.LAST_WEEK: 7.0,
    Span.THIS_MONTH: 31.0,
    Span.LAST_MONTH: 31.0,
    Span.THIS_YEAR: 366.0,
}

_FIXED = table_of(
    {
        Span.ALL_TIME: ("all time", "alltime", "ever", "overall", "career", "lifetime"),
        Span.TODAY: ("today", "tonight", "so far today"),
        Span.YESTERDAY: ("yesterday",),
        Span.THIS_WEEK: ("this week", "current week", "the week"),
        Span.LAST_WEEK: ("last week", "previous week"),
        Span.THIS_MONTH: ("this month", "current month", "the month"),
        Span.LAST_MONTH: ("last month", "previous month"),
        Span.THIS_YEAR: ("this year",),
    }
)
_RECENT = frozenset({"last", "past", "previous", "recent", "latest", "final"})
_DAY_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}
_HOUR_UNITS = frozenset({"hour", "hours", "hr", "hrs"})
_MATCH_UNITS = frozenset({"match", "matches", "game", "games"})
MAX_HOURS = 24 * 14
# Periods the parser does not read: answering them as "overall" would answer another question.
_UNREAD = frozenset(
    {
        "january", "february", "march", "april", "june", "july", "august", "september",
        "october", "november", "december", "since", "season", "seasons", "until", "till",
        "between", "before", "after", "ago", "tomorrow", "weekend", "weekends", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
        "evening", "night", "tonights", "2024", "2025", "2026", "2027",
    }
)  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
    "hundred": 100,
}  # fmt: skip


def names_an_unread_period(words: tuple[str, ...]) -> bool:
    """Whether the words name a period the parser cannot read ("in November", "since Monday")."""
    return any(word in _UNREAD for word in words)


def find_period(words: tuple[str, ...]) -> tuple[Period, list[Found[object]]]:
    """The first period the words name, and the words that named it (all time if none)."""
    for index, word in enumerate(words):
        if word in _RECENT:
            relative = _relative(words, index)
            if relative is not None:
                return relative
    for found in find_phrases(words, _FIXED):
        spans: list[Found[object]] = [Found(found.start, found.length, found.value)]
        return Period(found.value), spans
    return Period(), []


def _relative(words: tuple[str, ...], index: int) -> tuple[Period, list[Found[object]]] | None:
    """ "last 30 days", "past 2 weeks", "last 10 matches", "last match", "past week"."""
    following = words[index + 1 : index + 3]
    number = _number(following[0]) if following else None
    unit = following[1] if number is not None and len(following) > 1 else None
    if number is None and following:
        number, unit = 1, following[0]
    if unit is None or number is None:
        return None
    length = 3 if len(following) > 1 and _number(following[0]) is not None else 2
    span: list[Found[object]] = [Found(index, length, unit)]
    if unit in _MATCH_UNITS:
        return Period(Span.MATCHES, min(max(number, 1), MAX_MATCHES)), span
    if unit in _HOUR_UNITS:
        return Period(Span.HOURS, min(max(number, 1), MAX_HOURS)), span
    if unit in _DAY_UNITS:
        if number == 1 and unit in {"week", "month"} and words[index] in {"last", "previous"}:
            calendar = Span.LAST_WEEK if unit == "week" else Span.LAST_MONTH
            return Period(calendar), span
        return Period(Span.DAYS, min(max(number * _DAY_UNITS[unit], 1), MAX_DAYS)), span
    return None


def _number(word: str) -> int | None:
    if word.isdigit() and len(word) <= 6:
        return int(word)
    return _NUMBER_WORDS.get(word)
