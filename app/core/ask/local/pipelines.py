"""Each shape's aggregation pipeline, written only with what the guard allows.

Every pipeline first narrows the matches (player, mode, map, dates), then turns each match
into one document of the same few fields (`per_match`), so that every shape groups and sorts
the same way whatever the stat: `value` is the stat of that match, and `kills` and `deaths`
are kept for a pooled K/D. The guard then checks and scopes the result like any other plan.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.core.ask.local.periods import Span
from app.core.ask.local.question import Question, Shape
from app.core.ask.local.stats import Kind, StatSpec, per_match_value

Stage = dict[str, Any]
# Rows a list shows (a table shows 20 at most); a trend has one row per bucket.
LIST_ROWS = 10
RECORD_ROWS = 5
TREND_ROWS = 20


def build_pipeline(question: Question, now: datetime) -> list[Stage]:
    stages: list[Stage] = []
    narrowed = _narrowing(question, now)
    if narrowed:
        stages.append({"$match": narrowed})
    if question.period.span is Span.MATCHES:
        stages += [{"$sort": {"played_at": -1}}, {"$limit": question.period.count}]
    stages += per_match(question.stat)
    return stages + _SHAPES[question.shape](question)


def group_column(question: Question) -> str:
    """The column a grouped row's value is in (what it is sorted by)."""
    stat = question.stat
    if stat.kind is Kind.COUNT:
        prefix = "avg" if question.averaged else "total"
        return f"{prefix}_{stat.key}"
    if stat.kind is Kind.WINS:
        return "win_rate" if question.averaged else "wins"
    return stat.key


def match_column(stat: StatSpec) -> str:
    """The column one match's value is in (a record, a trend match by match)."""
    return "win_rate" if stat.kind is Kind.WINS else stat.key


def trend_bucket(question: Question) -> str | None:
    """The unit a trend groups by ("day", "week", "month"), or None for match by match."""
    days = question.period.days
    if question.period.span is Span.MATCHES or (days is not None and days <= 2):
        return None
    if days is not None and days <= 14:
        return "day"
    if days is not None and days <= 120:
        return "week"
    return "month"


def per_match(stat: StatSpec) -> list[Stage]:
    """One document per match: who, when, where, the stat's `value`, kills and deaths."""
    if stat.kind is Kind.ACCURACY:
        return _accuracy_per_match()
    fields: dict[str, Any] = {
        "user_id": "$user_id",
        "played_at": "$played_at",
        "map": "$stats.map",
        "mode": "$stats.player.mode",
        "kills": "$stats.player.kills",
        "deaths": "$stats.player.deaths",
    }
    # Counting matches needs no value (and a bare 1 in $project would mean "keep a field").
    if stat.kind is not Kind.MATCHES:
        fields["value"] = per_match_value(stat)
    return [{"$project": fields}]


def _accuracy_per_match() -> list[Stage]:
    # A match's accuracy is the mean of its weapons' (as /trend has it); a match whose
    # weapons show none has no accuracy and is left out, not counted as zero.
    def first(field: str) -> dict[str, str]:
        return {"$first": field}

    return [
        {"$unwind": "$stats.weapons"},
        {
            "$group": {
                "_id": {"user_id": "$user_id", "played_at": "$played_at"},
                "user_id": first("$user_id"),
                "played_at": first("$played_at"),
                "map": first("$stats.map"),
                "mode": first("$stats.player.mode"),
                "value": {"$avg": "$stats.weapons.accuracy"},
            }
        },
        {"$match": {"value": {"$ne": None}}},
    ]


def _narrowing(question: Question, now: datetime) -> Stage:
    narrowed: Stage = {}
    if len(question.players) == 1:
        narrowed["user_id"] = question.players[0]
    elif question.players:
        narrowed["user_id"] = {"$in": list(question.players)}
    if question.mode is not None:
        narrowed["stats.player.mode"] = question.mode.value
    if question.map_name is not None:
        narrowed["stats.map"] = question.map_name
    start, end = question.period.bounds(now)
    dates = {
        operator: moment
        for operator, moment in (("$gte", start), ("$lt", end))
        if moment is not None
    }
    if dates:
        narrowed["played_at"] = dates
    return narrowed


def _grouped(question: Question, key: Any, label: str | None) -> list[Stage]:
    """Group the matches by `key`, then name the columns (the group's as `label`)."""
    stat = question.stat
    accumulators: dict[str, Any] = {"matches": {"$sum": 1}}
    columns: dict[str, Any] = {"_id": 0} | ({label: "$_id"} if label else {})
    value = group_column(question)
    if stat.kind is Kind.COUNT:
        accumulators |= {"total": {"$sum": "$value"}, "average": {"$avg": "$value"}}
        total, average = f"total_{stat.key}", f"avg_{stat.key}"
        pair = {average: {"$round": ["$average", 2]}, total: "$total"}
        columns |= {value: pair.pop(value), **pair}
    elif stat.kind is Kind.KD:
        accumulators |= {"kills": {"$sum": "$kills"}, "deaths": {"$sum": "$deaths"}}
        columns |= {"kd": _rounded(_kd("$kills", "$deaths"), 2)}
        columns |= {"kills": "$kills", "deaths": "$deaths"}
    elif stat.kind is Kind.ACCURACY:
        accumulators |= {"accuracy": {"$avg": "$value"}}
        columns |= {"accuracy": _rounded("$accuracy", 1)}
    elif stat.kind is Kind.WINS:
        accumulators |= {"wins": {"$sum": "$value"}}
        rate = _rounded({"$divide": [{"$multiply": ["$wins", 100]}, "$matches"]}, 1)
        pair = {"win_rate": rate, "wins": "$wins"}
        columns |= {value: pair.pop(value), **pair}
    columns |= {"matches": "$matches"}
    return [{"$group": {"_id": key, **accumulators}}, {"$project": columns}]


def _ranked(question: Question, limit: int) -> list[Stage]:
    direction = -1 if question.descending else 1
    return [{"$sort": {group_column(question): direction, "matches": -1}}, {"$limit": limit}]


def _best_by(question: Question) -> list[Stage]:
    dimension = question.dimension
    if dimension is None:
        raise ValueError("a best-by question names a map or a mode")
    # The per-match documents carry the map and the mode under these same names.
    grouped = _grouped(question, f"${dimension.column}", dimension.column)
    return grouped + _ranked(question, LIST_ROWS)


def _totals(question: Question) -> list[Stage]:
    return _grouped(question, None, None)


def _leader(question: Question) -> list[Stage]:
    return _grouped(question, "$user_id", "user_id") + _ranked(question, LIST_ROWS)


def _head_to_head(question: Question) -> list[Stage]:
    return _grouped(question, "$user_id", "user_id") + _ranked(question, 2)


def _trend(question: Question) -> list[Stage]:
    unit = trend_bucket(question)
    if unit is None:
        return _trend_by_match(question)
    truncated: dict[str, Any] = {"date": "$played_at", "unit": unit}
    if unit == "week":
        truncated["startOfWeek"] = "monday"
    return [
        *_grouped(question, {"$dateTrunc": truncated}, unit),
        {"$sort": {unit: -1}},
        {"$limit": TREND_ROWS},
        {"$sort": {unit: 1}},
    ]


def _trend_by_match(question: Question) -> list[Stage]:
    # The last N matches are already the latest N; another period keeps its latest matches.
    latest = [] if question.period.span is Span.MATCHES else _latest(TREND_ROWS)
    return [
        *latest,
        {"$sort": {"played_at": 1}},
        {"$project": {"_id": 0, "played_at": "$played_at", **_match_value(question.stat)}},
    ]


def _record(question: Question) -> list[Stage]:
    direction = -1 if question.descending else 1
    who = {} if question.subject is not None else {"user_id": "$user_id"}
    columns = {"_id": 0, "played_at": "$played_at", **who, "map": "$map", "mode": "$mode"}
    return [
        {"$sort": {"value": direction, "played_at": -1}},
        {"$limit": RECORD_ROWS},
        {"$project": columns | _match_value(question.stat)},
    ]


def _latest(count: int) -> list[Stage]:
    return [{"$sort": {"played_at": -1}}, {"$limit": count}]


def _match_value(stat: StatSpec) -> dict[str, Any]:
    if stat.kind is Kind.WINS:
        return {"win_rate": {"$multiply": ["$value", 100]}}
    if stat.kind in {Kind.KD, Kind.ACCURACY}:
        return {stat.key: _rounded("$value", 2)}
    return {stat.key: "$value"}


def _kd(kills: str, deaths: str) -> dict[str, Any]:
    # Total kills over total deaths, and over one death when there were none (as kd_ratio).
    return {"$divide": [kills, {"$max": [deaths, 1]}]}


def _rounded(expression: Any, places: int) -> dict[str, Any]:
    return {"$round": [expression, places]}


_SHAPES = {
    Shape.BEST_BY: _best_by,
    Shape.TOTALS: _totals,
    Shape.LEADER: _leader,
    Shape.HEAD_TO_HEAD: _head_to_head,
    Shape.TREND: _trend,
    Shape.RECORD: _record,
}
