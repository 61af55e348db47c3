"""Turns the documents a guarded pipeline returned into a small, readable table.

The user never sees raw JSON: columns are named, player ids become Discord mentions, numbers
are rounded, dates are dates, and the table is cut to what a Discord embed can show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.ai import AnswerRows
from app.core.ask.columns import column_header
from app.core.i18n import _

MAX_ROWS = 20
MAX_COLUMNS = 6
_PLAYER_COLUMN = "player"
_MAX_CELL = 24
_MAX_LIST_ITEMS = 5


@dataclass(frozen=True, slots=True)
class Answer:
    rows: AnswerRows
    sentence: str
    # Rows the query returned beyond those in `rows` (the table shows at most MAX_ROWS).
    omitted: int = 0
    # Said with the answer when it covers less than asked (the server's scope is a ceiling).
    note: str | None = None


def answer_rows(
    question: str,
    title: str,
    documents: Sequence[Mapping[str, Any]],
    *,
    id_label: str = "group",
) -> AnswerRows:
    """The first MAX_ROWS documents as rows; columns in the order their keys first appear."""
    flat = [_flatten(document, id_label) for document in documents[:MAX_ROWS]]
    columns: list[str] = []
    for row in flat:
        columns.extend(key for key in row if key not in columns)
    columns = columns[:MAX_COLUMNS]
    return AnswerRows(
        question=question,
        title=title,
        columns=tuple(_PLAYER_COLUMN if _is_user(c) else c for c in columns),
        rows=tuple(tuple(_cell(column, row.get(column)) for column in columns) for row in flat),
    )


def fallback_sentence(rows: AnswerRows) -> str:
    """A plain sentence from the rows, for when the AI cannot phrase one."""
    if not rows.rows:
        return _("No matches found for that question.")
    first = rows.rows[0]
    if len(rows.columns) == 1 and len(rows.rows) == 1:
        return _("{title}: {value}.", title=rows.title or _("Answer"), value=cell_text(first[0]))
    pairs = ", ".join(
        f"{column_header(c)} {cell_text(v)}" for c, v in zip(rows.columns, first, strict=True)
    )
    return _("Top result: {pairs}.", pairs=pairs)


def render_table(rows: AnswerRows, max_chars: int, *, omitted: int = 0) -> str:
    """A monospace table for a code block, cut to `max_chars` with a "… N more" line.

    Backticks in values are replaced so that no value can close the caller's ``` fence.
    """
    if not rows.rows:
        return _("No results.")
    header = [_fit(column_header(column)) for column in rows.columns]
    body = [[_fit(cell_text(value)) for value in row] for row in rows.rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    numeric = [all(_is_number(row[i]) for row in rows.rows) for i in range(len(header))]
    lines = [
        _line(header, widths, numeric),
        "  ".join("-" * width for width in widths),
    ]
    total = len(rows.rows) + omitted
    budget = max_chars - len("\n" + _more(total))
    used = len("\n".join(lines))
    shown = 0
    for line in (_line(row, widths, numeric) for row in body):
        used += 1 + len(line)
        if used > budget:
            break
        lines.append(line)
        shown += 1
    if shown < total:
        lines.append(_more(total - shown))
    return "\n".join(lines)[:max_chars]


def _more(count: int) -> str:
    return _("… {count} more", count=count)


def cell_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _flatten(document: Mapping[str, Any], id_label: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in document.items():
        if isinstance(value, Mapping):
            # A grouped _id is an object of the grouping keys: they are the row's labels.
            prefix = "" if key == "_id" else f"{key}."
            for inner, item in value.items():
                flat.setdefault(f"{prefix}{inner}", item)
        else:
            flat.setdefault(id_label if key == "_id" else key, value)
    return flat


def _is_user(column: str) -> bool:
    return column == "user_id" or column.endswith(".user_id")


def _cell(column: str, value: object) -> Any:
    if _is_user(column) and isinstance(value, int) and not isinstance(value, bool):
        return f"<@{value}>"
    return _value(value)


def _value(value: object) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {cell_text(_value(item))}" for key, item in value.items())
    if isinstance(value, list | tuple):
        items = [cell_text(_value(item)) for item in value[:_MAX_LIST_ITEMS]]
        return ", ".join(items) + (", …" if len(value) > _MAX_LIST_ITEMS else "")
    return str(value)


def _fit(text: str) -> str:
    text = " ".join(text.replace("`", "'").split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def _is_number(value: object) -> bool:
    # An empty cell does not stop a column of numbers from lining up on the right.
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    padded = (
        cell.rjust(width) if align_right else cell.ljust(width)
        for cell, width, align_right in zip(cells, widths, right, strict=True)
    )
    return "  ".join(padded).rstrip()
