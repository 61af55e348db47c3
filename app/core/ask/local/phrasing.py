"""One templated sentence per shape, from the rows its pipeline returned.

The rows are the answer table's (`answer_rows`): players are already mentions, dates ISO
days, numbers rounded. A value missing from a row is said as "—", never guessed.

Each sentence is a whole catalog message (`sentences.py` holds those that vary with the
owner or the variant), so a language can order and inflect it as it needs; a placeholder holds
a number, a name, or a phrase that needs no agreement ("this week", a stat with its owner).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.core.ai import AnswerRows
from app.core.ask.local import sentences
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
    owned,
    said_of,
    said_to,
    stat_name,
    stat_title,
)
from app.core.i18n import N_, _, ngettext
from app.core.wording import counted

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
    where = context(question, overall=False)
    if len(question.players) == 2:
        return _("There are no matches by either player{where} to answer from yet.", where=where)
    nobody = N_("There are no matches{where} to answer from yet.")
    return said_of(
        question,
        question.subject,
        (
            N_("There are no matches of yours{where} to answer from yet."),
            N_("There are no matches by {player}{where} to answer from yet."),
            nobody,
        ),
        where=where,
    )


def _totals(question: Question, rows: list[Row]) -> str:
    row, subject = rows[0], question.subject
    played, where = matches(_count(row)), context(question)
    stat = question.stat
    if stat.kind is Kind.MATCHES:
        return said_of(
            question,
            subject,
            (
                N_("You played {matches}{where}."),
                N_("{player} played {matches}{where}."),
                N_("This server's players played {matches}{where}."),
            ),
            matches=played,
            where=where,
        )
    owner = owned(question, subject, stat_name(question))
    if stat.kind is Kind.KD:
        return _(
            "{stat}{where} is {value} over {matches} ({kills}, {deaths}).",
            stat=owner,
            where=where,
            value=number(question, row.get("kd")),
            matches=played,
            kills=counted(_int(row, "kills"), "kill"),
            deaths=counted(_int(row, "deaths"), "death"),
        )
    if stat.kind is Kind.WINS:
        return _totals_of_wins(question, row, owner, where, played)
    return _totals_of_count(question, row, owner, where, played)


def _totals_of_wins(question: Question, row: Row, owner: str, where: str, played: str) -> str:
    rate = number(question, row.get("win_rate"), averaged=True)
    won = _int(row, "wins")
    if question.averaged:
        return _(
            "{stat}{where} is {rate} ({won:,} of {matches} won).",
            stat=owner,
            where=where,
            rate=rate,
            won=won,
            matches=played,
        )
    return said_of(
        question,
        question.subject,
        (
            N_("You won {won:,} of {matches}{where} ({rate})."),
            N_("{player} won {won:,} of {matches}{where} ({rate})."),
            N_("This server's players won {won:,} of {matches}{where} ({rate})."),
        ),
        won=won,
        matches=played,
        where=where,
        rate=rate,
    )


def _totals_of_count(question: Question, row: Row, owner: str, where: str, played: str) -> str:
    stat = question.stat
    if stat.kind is Kind.ACCURACY:
        value = number(question, row.get("accuracy"))
        return _(
            "{stat}{where} is {value} over {matches}.",
            stat=owner,
            where=where,
            value=value,
            matches=played,
        )
    average = number(question, row.get(f"avg_{stat.key}"), averaged=True)
    total = number(question, row.get(f"total_{stat.key}"), averaged=False)
    message = (
        N_("{stat}{where} is {average} over {matches} ({total} in total).")
        if question.averaged
        else N_("{stat}{where} is {total} over {matches} ({average} per match).")
    )
    return _(message, stat=owner, where=where, average=average, total=total, matches=played)


def _best_by(question: Question, rows: list[Row]) -> str:
    dimension = question.dimension.column if question.dimension else "map"
    top, subject, where = rows[0], question.subject, context(question)
    name, played = _place(dimension, top), matches(_count(top))
    if question.stat.kind is Kind.MATCHES:
        messages = sentences.MOST_PLAYED[dimension, question.descending]
        sentence = said_of(question, subject, messages, where=where, name=name, matches=played)
    else:
        sentence = said_of(
            question,
            subject,
            sentences.BEST[dimension, question.best_first],
            stat=stat_title(question),
            where=where,
            name=name,
            value=_value(question, top),
            matches=played,
        )
    if len(rows) > 1:
        runner_up = rows[1]
        return _(
            "{sentence}; next is {name} ({value}).",
            sentence=sentence,
            name=_place(dimension, runner_up),
            value=_value(question, runner_up),
        )
    return _("{sentence}.", sentence=sentence)


def _leader(question: Question, rows: list[Row]) -> str:
    top = rows[0]
    leader = str(top.get(PLAYER, "—"))
    you = leader == mention(question.asker)
    where = context(question)
    if question.stat.kind is Kind.MATCHES:
        message = sentences.MOST_MATCHES[you, question.descending]
        sentence = _(message, player=leader, where=where, count=_count(top))
    else:
        sentence = _(
            sentences.HIGHEST[you, question.descending],
            player=leader,
            stat=stat_title(question),
            where=where,
            value=_value(question, top),
            matches=matches(_count(top)),
        )
    return sentence + _your_place(question, rows)


def _your_place(question: Question, rows: list[Row]) -> str:
    mine = mention(question.asker)
    for position, row in enumerate(rows[1:], start=2):
        if row.get(PLAYER) == mine:
            value = _value(question, row)
            return " " + _(
                "You are {ordinal} with {value}.", ordinal=ordinal(position), value=value
            )
    return ""


def _head_to_head(question: Question, rows: list[Row]) -> str:
    first, second = question.players[0], question.players[1]
    by_player = {row.get(PLAYER): row for row in rows}
    mine, theirs = by_player.get(mention(first)), by_player.get(mention(second))
    where = context(question)
    if mine is None or theirs is None:
        missing = second if theirs is None else first
        return said_to(
            question,
            missing,
            N_("You played no matches{where} to compare."),
            N_("{player} played no matches{where} to compare."),
            where=where,
        )
    if question.stat.kind is Kind.MATCHES:
        return said_to(
            question,
            first,
            N_("You played {matches}{where}, against {count:,} for {other}."),
            N_("{player} played {matches}{where}, against {count:,} for {other}."),
            matches=matches(_count(mine)),
            where=where,
            count=_count(theirs),
            other=mention(second),
        )
    comparison = said_to(
        question,
        second,
        N_("{stat}{where} is {mine} over {my_matches}, against your {theirs} over {their_matches}"),
        N_(
            "{stat}{where} is {mine} over {my_matches}, "
            "against {player}'s {theirs} over {their_matches}"
        ),
        stat=owned(question, first, stat_name(question)),
        where=where,
        mine=_value(question, mine),
        my_matches=matches(_count(mine)),
        theirs=_value(question, theirs),
        their_matches=matches(_count(theirs)),
    )
    return _ahead(question, comparison, (mine, theirs), (first, second))


def _ahead(
    question: Question, comparison: str, rows: tuple[Row, Row], players: tuple[int, int]
) -> str:
    column = group_column(question)
    a, b = rows[0].get(column), rows[1].get(column)
    if not is_number(a) or not is_number(b):
        return _("{sentence}.", sentence=comparison)
    if a == b:
        return _("{comparison}: level.", comparison=comparison)
    first, second = players
    better = first if (a > b) == question.stat.higher_is_better else second
    if better == question.asker:
        return _("{comparison}: you're ahead.", comparison=comparison)
    return _("{comparison}: {player} is ahead.", comparison=comparison, player=mention(better))


def _trend(question: Question, rows: list[Row]) -> str:
    bucket = trend_bucket(question)
    column = group_column(question) if bucket else match_column(question.stat)
    points = [(row.get(column), _count(row) if bucket else 1) for row in rows]
    usable = [(float(v), w) for v, w in points if is_number(v) and w > 0]
    stat = owned(question, question.subject, _per_match(question))
    where = context(question)
    unit = bucket or "match"
    if len(usable) < 2:
        return _(sentences.TOO_FEW[unit], stat=stat, where=where)
    half = len(usable) // 2
    earlier, later = _mean(usable[:half]), _mean(usable[half:])
    return _(
        _direction(question, earlier, later),
        stat=stat,
        where=where,
        earlier=number(question, earlier, averaged=True),
        first=_FIRST[unit](half),
        later=number(question, later, averaged=True),
        last=_LAST[unit](len(usable) - half),
    )


def _direction(question: Question, earlier: float, later: float) -> str:
    if abs(later - earlier) <= STEADY * max(abs(earlier), 1e-9):
        return N_("{stat}{where} is holding steady: {earlier} over {first}, {later} over {last}.")
    if (later > earlier) == question.stat.higher_is_better:
        return N_("{stat}{where} is improving: {earlier} over {first}, {later} over {last}.")
    return N_("{stat}{where} is getting worse: {earlier} over {first}, {later} over {last}.")


# "the first match", "the last 3 weeks": each unit's own words (its gender, in Spanish).
_FIRST: Mapping[str, Callable[[int], str]] = {
    "match": lambda n: ngettext("the first match", "the first {count:,} matches", n),
    "day": lambda n: ngettext("the first day", "the first {count:,} days", n),
    "week": lambda n: ngettext("the first week", "the first {count:,} weeks", n),
    "month": lambda n: ngettext("the first month", "the first {count:,} months", n),
}
_LAST: Mapping[str, Callable[[int], str]] = {
    "match": lambda n: ngettext("the last match", "the last {count:,} matches", n),
    "day": lambda n: ngettext("the last day", "the last {count:,} days", n),
    "week": lambda n: ngettext("the last week", "the last {count:,} weeks", n),
    "month": lambda n: ngettext("the last month", "the last {count:,} months", n),
}


def _record(question: Question, rows: list[Row]) -> str:
    top = rows[0]
    stat = question.stat
    if stat.kind is Kind.COUNT and question.stat_named:
        messages = sentences.MOST_IN_A_MATCH if question.descending else sentences.FEWEST_IN_A_MATCH
    else:
        messages = sentences.BEST_GAME if question.best_first else sentences.WORST_GAME
    by = " " + _("by {player}", player=top[PLAYER]) if PLAYER in top else ""
    return said_of(
        question,
        question.subject,
        messages,
        stat=_(stat.label),
        where=context(question),
        value=number(question, top.get(match_column(stat)), averaged=False),
        by=by,
        map=top.get("map", "—"),
        mode=mode_name(top.get("mode")),
        date=top.get("played_at", "—"),
    )


def _per_match(question: Question) -> str:
    """The English name of what a trend follows, per match (a key of `OWNED`)."""
    stat = question.stat
    if stat.kind is Kind.WINS:
        return "win rate"
    if stat.kind is Kind.COUNT:
        return f"{stat.label} per match"
    return stat.label


def _mean(points: list[tuple[float, int]]) -> float:
    weight = sum(w for _v, w in points)
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
