"""The weapons summary: one line per weapon, with its kills, headshots and accuracy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.shared.local_reader.boxes import Line
from app.shared.local_reader.cells import count, percent
from app.shared.local_reader.columns import Column, Table, cells_of, find_table

COLUMN_TITLES = {
    "WEAPON": "name",
    "KILLS": "kills",
    "HEADSHOTS": "headshots",
    "ACCURACY": "accuracy",
}
REQUIRED_COLUMNS = frozenset({"kills", "headshots"})
# The game model's limit on the weapons of one match.
MAX_WEAPONS = 10


def read_weapons(lines: Sequence[Line]) -> list[dict[str, Any]] | None:
    """The weapons this screen lists, or None when it is not the weapons screen."""
    table = find_table(lines, COLUMN_TITLES, REQUIRED_COLUMNS)
    if table is None:
        return None
    # The "WEAPON" title sits over the names: the numbers are the columns to the right.
    numbers = tuple(column for column in table.columns if column.field != "name")
    if len(numbers) < len(REQUIRED_COLUMNS):
        return None
    table = Table(table.header, numbers, _name_right(numbers))
    weapons = []
    for line in lines:
        if line.centre_y <= table.header.centre_y:
            continue
        name, cells = cells_of(line, table, _parse_cell)
        if name and cells.get("kills") is not None:
            weapon: dict[str, Any] = {"name": " ".join(name.split())}
            weapon.update({k: v for k, v in cells.items() if v is not None})
            weapons.append(weapon)
    return weapons[:MAX_WEAPONS]


def _name_right(numbers: Sequence[Column]) -> float:
    first, second = numbers[0].centre_x, numbers[1].centre_x
    return first - 0.75 * (second - first)


def _parse_cell(field: str, text: str) -> object:
    return percent(text) if field == "accuracy" else count(text)
