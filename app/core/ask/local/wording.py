"""The small words of a templated answer: whose, counts, units, and the question's context.

Each sentence is one catalog message (`phrasing.py`); what goes into its placeholders is
either language-free (numbers, map names, mentions) or a whole phrase of its own from the
catalog (a stat with its owner, "this week", "in Hardpoint").
"""

from __future__ import annotations

import math
from typing import TypeGuard

from app.core.ask.local.periods import Span
from app.core.ask.local.question import Question
from app.core.ask.local.stat_phrases import OWNED
from app.core.ask.local.stats import Kind
from app.core.game.modes import Mode
from app.core.i18n import _, pgettext
from app.core.wording import counted

PERCENT_STATS = frozenset({Kind.ACCURACY, Kind.WINS})


def matches(count: int) -> str:
    return counted(count, "match")


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def said_of(
    question: Question, user_id: int | None, messages: tuple[str, str, str], /, **params: object
) -> str:
    """The message for whom the sentence is about: (the asker's, a named player's with
    {player}, the whole server's when nobody is named), each a catalog message of its own."""
    yours, theirs, servers = messages
    if user_id is None:
        return _(servers, **params)
    return said_to(question, user_id, yours, theirs, **params)


def said_to(question: Question, user_id: int, yours: str, theirs: str, /, **params: object) -> str:
    """The message about a player: to the asker ("You played…"), or naming them ({player})."""
    if user_id == question.asker:
        return _(yours, **params)
    return _(theirs, player=mention(user_id), **params)


def owned(question: Question, user_id: int | None, name: str) -> str:
    """A stat with its owner, as a sentence's subject: "Your average kills", "<@id>'s K/D",
    "This server's win rate"; `name` is the stat's English name (`stat_name`)."""
    phrases = OWNED[name]
    return said_of(question, user_id, (phrases.yours, phrases.theirs, phrases.servers))


def stat_name(question: Question) -> str:
    """The value being compared: "K/D", "average kills", "total kills", "win rate"."""
    stat = question.stat
    if stat.kind is Kind.WINS:
        return "win rate" if question.averaged else "wins"
    if stat.kind is Kind.COUNT:
        return f"{'average' if question.averaged else 'total'} {stat.label}"
    return stat.label


def stat_title(question: Question) -> str:
    """`stat_name` as the reader's language says it: after "by", in a title."""
    return _(stat_name(question))


def context(question: Question, *, overall: bool = True) -> str:
    """Where and when, to follow the stat: " in Hardpoint on Den this week"; `overall`: say
    "overall" for all time. Each part is an adverbial phrase, so no language needs it to agree
    with the sentence around it."""
    parts = []
    if question.mode is not None:
        parts.append(_("in {mode}", mode=_(question.mode.display_name)))
    if question.map_name is not None:
        parts.append(_("on {map}", map=question.map_name))
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
        return _(Mode(str(value)).display_name)
    except ValueError:
        return str(value)


def ordinal(position: int) -> str:
    """ "1st", "2nd", "11th"; in Spanish "1.º": each English ending is a message of its own."""
    last = position % 10
    if 10 <= position % 100 <= 20 or last not in (1, 2, 3):
        return pgettext("ordinal number", "{position}th", position=position)
    if last == 1:
        return pgettext("ordinal number", "{position}st", position=position)
    if last == 2:
        return pgettext("ordinal number", "{position}nd", position=position)
    return pgettext("ordinal number", "{position}rd", position=position)


def _trimmed(value: float, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text[: -places - 1] if text.endswith("." + "0" * places) else text
