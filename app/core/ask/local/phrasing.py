"""One templated sentence per shape, from the rows its pipeline returned.

The rows are the answer table's (`answer_rows`): players are already mentions, dates ISO
days, numbers rounded. A value missing from a row is said as "—", never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.core.ai import AnswerRows
from app.core.ask.local.pipelines import group_column, match_column, trend_bucket
from app.core.ask.local.question import Question, Shape
from app.core.ask.local.stats import Kind
from app.core.ask.local.wording import (
    context,
    is_number,
    matches,
    mention,
    mode_name,
    number,
    ordinal,
    plural,
    stat_name,
    who,
    whose,
)

Row = Mapping[str, Any]
# A change of less than this share of the earlier value is "steady".
STEADY = 0.05
PLAYER = "player"


def phrase(question: Question, rows: AnswerRows) -> str:
    found: list[Row] = [dict(zip(rows.columns, row, strict=True)) for row in rows.rows]
    if not found or not any(_count(row) for row in found):
        return _nothing(question)
    return _SHAPES[question.shape](question, found)


def _nothing(question: Question) -> str:
    players = question.players
    if len(players) == 2:
        owner = " by either player"
    elif question.subject == question.asker:
        owner = " of yours"
    elif question.subject is not None:
        owner = f" by {mention(question.subject)}"
    else:
        owner = ""
    return f"There are no matches{owner}{context(question, overall=False)} to answer from yet."


def _totals(question: Question, rows: list[Row]) -> str:
    row = rows[0]
    played = _count(row)
    owner, where = whose(question, question.subject), context(question)
    stat = question.stat
    if stat.kind is Kind.MATCHES:
        return f"{who(question, question.subject)} played {matches(played)}{where}."
    if stat.kind is Kind.KD:
        tally = f"{plural(_int(row, 'kills'), 'kill')}, {plural(_int(row, 'deaths'), 'death')}"
        return (
            f"{owner} K/D{where} is {number(question, row.get('kd'))} "
            f"over {matches(played)} ({tally})."
        )
    if stat.kind is Kind.WINS:
        rate = number(question, row.get("win_rate"), averaged=True)
        won = _int(row, "wins")
        if question.averaged:
            return f"{owner} win rate{where} is {rate} ({won:,} of {matches(played)} won)."
        subject = who(question, question.subject)
        return f"{subject} won {won:,} of {matches(played)}{where} ({rate})."
    return _totals_of_count(question, row, owner, where, played)


def _totals_of_count(question: Question, row: Row, owner: str, where: str, played: int) -> str:
    stat = question.stat
    over = f"over {matches(played)}"
    if stat.kind is Kind.ACCURACY:
        return f"{owner} accuracy{where} is {number(question, row.get('accuracy'))} {over}."
    average = number(question, row.get(f"avg_{stat.key}"), averaged=True)
    total = number(question, row.get(f"total_{stat.key}"), averaged=False)
    if question.averaged:
        return f"{owner} average {stat.label}{where} is {average} {over} ({total} in total)."
    return f"{owner} total {stat.label}{where} is {total} {over} ({average} per match)."


def _best_by(question: Question, rows: list[Row]) -> str:
    dimension = question.dimension.column if question.dimension else "map"
    top, owner, where = rows[0], whose(question, question.subject), context(question)
    name = _place(dimension, top)
    if question.stat.kind is Kind.MATCHES:
        end = "most" if question.descending else "least"
        sentence = f"{owner} {end} played {dimension}{where} is {name} ({matches(_count(top))})"
    else:
        rank = "best" if question.best_first else "worst"
        sentence = (
            f"{owner} {rank} {dimension} by {stat_name(question)}{where} is {name} "
            f"({_value(question, top)} over {matches(_count(top))})"
        )
    if len(rows) > 1:
        sentence += f"; next is {_place(dimension, rows[1])} ({_value(question, rows[1])})"
    return sentence + "."


def _leader(question: Question, rows: list[Row]) -> str:
    top = rows[0]
    leader = str(top.get(PLAYER, "—"))
    you = leader == mention(question.asker)
    if question.stat.kind is Kind.MATCHES:
        end = "most" if question.descending else "fewest"
        sentence = (
            f"{'You' if you else leader} played the {end} matches{context(question)}: "
            f"{_count(top):,}."
        )
    else:
        end = "highest" if question.descending else "lowest"
        sentence = (
            f"{'You have' if you else leader + ' has'} the {end} {stat_name(question)}"
            f"{context(question)}: {_value(question, top)} over {matches(_count(top))}."
        )
    return sentence + _your_place(question, rows)


def _your_place(question: Question, rows: list[Row]) -> str:
    mine = mention(question.asker)
    for position, row in enumerate(rows[1:], start=2):
        if row.get(PLAYER) == mine:
            return f" You are {ordinal(position)} with {_value(question, row)}."
    return ""


def _head_to_head(question: Question, rows: list[Row]) -> str:
    first, second = question.players[0], question.players[1]
    by_player = {row.get(PLAYER): row for row in rows}
    mine, theirs = by_player.get(mention(first)), by_player.get(mention(second))
    where = context(question)
    if mine is None or theirs is None:
        missing = second if theirs is None else first
        return f"{who(question, missing)} played no matches{where} to compare."
    if question.stat.kind is Kind.MATCHES:
        return (
            f"{who(question, first)} played {matches(_count(mine))}{where}, against "
            f"{_count(theirs):,} for {mention(second)}."
        )
    stat = stat_name(question)
    sentence = (
        f"{whose(question, first)} {stat}{where} is {_value(question, mine)} over "
        f"{matches(_count(mine))}, against {whose(question, second, capital=False)} "
        f"{_value(question, theirs)} over {matches(_count(theirs))}"
    )
    return sentence + _ahead(question, mine, theirs, first, second) + "."


def _ahead(question: Question, mine: Row, theirs: Row, first: int, second: int) -> str:
    column = group_column(question)
    a, b = mine.get(column), theirs.get(column)
    if not is_number(a) or not is_number(b):
        return ""
    if a == b:
        return ": level"
    better = first if (a > b) == question.stat.higher_is_better else second
    return ": you're ahead" if better == question.asker else f": {mention(better)} is ahead"


def _trend(question: Question, rows: list[Row]) -> str:
    bucket = trend_bucket(question)
    column = group_column(question) if bucket else match_column(question.stat)
    points = [(row.get(column), _count(row) if bucket else 1) for row in rows]
    usable = [(float(v), w) for v, w in points if is_number(v) and w > 0]
    owner = whose(question, question.subject)
    stat = f"{_per_match(question)}{context(question)}"
    unit = bucket or "match"
    if len(usable) < 2:
        needed = "at least two matches" if unit == "match" else f"matches on at least two {unit}s"
        return f"{owner} {stat} needs {needed} to show a trend."
    half = len(usable) // 2
    earlier, later = _mean(usable[:half]), _mean(usable[half:])
    return (
        f"{owner} {stat} is {_direction(question, earlier, later)}: "
        f"{number(question, earlier, averaged=True)} over {_part('first', half, unit)}, "
        f"{number(question, later, averaged=True)} over {_part('last', len(usable) - half, unit)}."
    )


def _part(which: str, count: int, unit: str) -> str:
    """ "the first match", "the last 3 weeks"."""
    if count == 1:
        return f"the {which} {unit}"
    return f"the {which} {plural(count, unit, 'matches' if unit == 'match' else None)}"


def _direction(question: Question, earlier: float, later: float) -> str:
    if abs(later - earlier) <= STEADY * max(abs(earlier), 1e-9):
        return "holding steady"
    rising = later > earlier
    return "improving" if rising == question.stat.higher_is_better else "getting worse"


def _record(question: Question, rows: list[Row]) -> str:
    top = rows[0]
    owner = whose(question, question.subject)
    stat = question.stat
    value = number(question, top.get(match_column(stat)), averaged=False)
    if stat.kind is Kind.COUNT and question.stat_named:
        end = "most" if question.descending else "fewest"
        what = f"{end} {stat.label} in a match"
    else:
        what = f"{'best' if question.best_first else 'worst'} game by {stat.label}"
    by = f" by {top[PLAYER]}" if PLAYER in top else ""
    when = f"{mode_name(top.get('mode'))}, {top.get('played_at', '—')}"
    return f"{owner} {what}{context(question)} is {value}{by}, on {top.get('map', '—')} ({when})."


def _per_match(question: Question) -> str:
    stat = question.stat
    if stat.kind is Kind.WINS:
        return "win rate"
    if stat.kind is Kind.COUNT:
        return f"{stat.label} per match"
    return stat.label


def _mean(points: list[tuple[float, int]]) -> float:
    weight = sum(w for _, w in points)
    return sum(v * w for v, w in points) / weight


def _value(question: Question, row: Row) -> str:
    return number(question, row.get(group_column(question)))


def _place(dimension: str, row: Row) -> str:
    value = row.get(dimension)
    return mode_name(value) if dimension == "mode" else str(value if value is not None else "—")


def _count(row: Row) -> int:
    value = row.get("matches", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _int(row: Row, column: str) -> int:
    value = row.get(column)
    return round(value) if is_number(value) else 0


_SHAPES: Mapping[Shape, Callable[[Question, list[Row]], str]] = {
    Shape.TOTALS: _totals,
    Shape.BEST_BY: _best_by,
    Shape.LEADER: _leader,
    Shape.HEAD_TO_HEAD: _head_to_head,
    Shape.TREND: _trend,
    Shape.RECORD: _record,
}
