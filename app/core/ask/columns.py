"""The answer table's column headers in the reader's language, for the columns Debrief's
own plans return (the local planner's, and the AI's when it names them alike).

A column is named by its field (`avg_kills`), which the API returns as is and the phrasing
reads rows by; only the header a person reads is translated. A column of another name (an
AI plan's own) is shown as named.
"""

from __future__ import annotations

from app.core.i18n import pgettext

# Each header a call of its own, so that the catalog's extraction finds it.
_HEADERS = {
    "kills": lambda: pgettext("answer column", "kills"),
    "avg_kills": lambda: pgettext("answer column", "avg_kills"),
    "total_kills": lambda: pgettext("answer column", "total_kills"),
    "deaths": lambda: pgettext("answer column", "deaths"),
    "avg_deaths": lambda: pgettext("answer column", "avg_deaths"),
    "total_deaths": lambda: pgettext("answer column", "total_deaths"),
    "assists": lambda: pgettext("answer column", "assists"),
    "avg_assists": lambda: pgettext("answer column", "avg_assists"),
    "total_assists": lambda: pgettext("answer column", "total_assists"),
    "score": lambda: pgettext("answer column", "score"),
    "avg_score": lambda: pgettext("answer column", "avg_score"),
    "total_score": lambda: pgettext("answer column", "total_score"),
    "objective_time_s": lambda: pgettext("answer column", "objective_time_s"),
    "avg_objective_time_s": lambda: pgettext("answer column", "avg_objective_time_s"),
    "total_objective_time_s": lambda: pgettext("answer column", "total_objective_time_s"),
    "captures": lambda: pgettext("answer column", "captures"),
    "avg_captures": lambda: pgettext("answer column", "avg_captures"),
    "total_captures": lambda: pgettext("answer column", "total_captures"),
    "plants": lambda: pgettext("answer column", "plants"),
    "avg_plants": lambda: pgettext("answer column", "avg_plants"),
    "total_plants": lambda: pgettext("answer column", "total_plants"),
    "defuses": lambda: pgettext("answer column", "defuses"),
    "avg_defuses": lambda: pgettext("answer column", "avg_defuses"),
    "total_defuses": lambda: pgettext("answer column", "total_defuses"),
    "overloads": lambda: pgettext("answer column", "overloads"),
    "avg_overloads": lambda: pgettext("answer column", "avg_overloads"),
    "total_overloads": lambda: pgettext("answer column", "total_overloads"),
    "device_carry_time_s": lambda: pgettext("answer column", "device_carry_time_s"),
    "avg_device_carry_time_s": lambda: pgettext("answer column", "avg_device_carry_time_s"),
    "total_device_carry_time_s": lambda: pgettext("answer column", "total_device_carry_time_s"),
    "kd": lambda: pgettext("answer column", "kd"),
    "accuracy": lambda: pgettext("answer column", "accuracy"),
    "win_rate": lambda: pgettext("answer column", "win_rate"),
    "wins": lambda: pgettext("answer column", "wins"),
    "matches": lambda: pgettext("answer column", "matches"),
    "player": lambda: pgettext("answer column", "player"),
    "map": lambda: pgettext("answer column", "map"),
    "mode": lambda: pgettext("answer column", "mode"),
    "played_at": lambda: pgettext("answer column", "played_at"),
    "day": lambda: pgettext("answer column", "day"),
    "week": lambda: pgettext("answer column", "week"),
    "month": lambda: pgettext("answer column", "month"),
}


def column_header(column: str) -> str:
    """The header for `column`: its translation when it is one of Debrief's, else as named."""
    header = _HEADERS.get(column)
    return header() if header else column
