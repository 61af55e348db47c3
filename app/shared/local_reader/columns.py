"""The columns of a table screen, found from its header line."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from app.shared.local_reader.boxes import Line, TextBox, split_box
from app.shared.local_reader.cells import best_word, squeezed


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    centre_x: float


@dataclass(frozen=True, slots=True)
class Table:
    """A header line's columns, left to right, and where the name column ends."""

    header: Line
    columns: tuple[Column, ...]
    name_right: float

    def field_at(self, x: float) -> str | None:
        """The column whose cells are centred near ``x``; None between or past them (an
        accuracy bar, a decoration)."""
        nearest = min(self.columns, key=lambda column: abs(column.centre_x - x))
        return nearest.field if abs(nearest.centre_x - x) <= self.reach else None

    @property
    def reach(self) -> float:
        """How far a cell's middle may be from its column title's: half the narrowest gap."""
        centres = [column.centre_x for column in self.columns]
        gaps = [right - left for left, right in itertools.pairwise(centres)]
        return min(gaps, default=float("inf")) / 2


def find_table(
    lines: Sequence[Line], titles: Mapping[str, str], required: frozenset[str]
) -> Table | None:
    """The first line whose words name every ``required`` field; ``titles`` maps each
    column title (as printed) to its field."""
    for line in lines:
        columns = _columns(line, titles)
        if required <= {column.field for column in columns}:
            return Table(line, columns, _name_right(columns))
    return None


def _columns(line: Line, titles: Mapping[str, str]) -> tuple[Column, ...]:
    found: dict[str, Column] = {}
    for box in line.boxes:
        for piece in _titled_pieces(box, titles):
            field = titles[best_word(piece.text, titles) or ""]
            found.setdefault(field, Column(field, piece.centre_x))
    return tuple(sorted(found.values(), key=lambda column: column.centre_x))


def _titled_pieces(box: TextBox, titles: Mapping[str, str]) -> list[TextBox]:
    """The box itself when it is one title; its words joined into titles otherwise
    ("OBJ TIME CAPTURES" read as one box)."""
    if best_word(box.text, titles) is not None and _exact_length(box.text, titles):
        return [box]
    pieces = split_box(box)
    joined: list[TextBox] = []
    index = 0
    while index < len(pieces):
        if index + 1 < len(pieces):
            pair = _joined(pieces[index], pieces[index + 1])
            if squeezed(pair.text) in {squeezed(title) for title in titles}:
                joined.append(pair)
                index += 2
                continue
        if best_word(pieces[index].text, titles) is not None:
            joined.append(pieces[index])
        index += 1
    return joined


def _exact_length(text: str, titles: Mapping[str, str]) -> bool:
    # A merged box is longer than any title it contains.
    return len(squeezed(text)) <= max(len(squeezed(title)) for title in titles) + 1


def _joined(first: TextBox, second: TextBox) -> TextBox:
    return replace(first, text=f"{first.text} {second.text}", right=second.right)


def _name_right(columns: Sequence[Column]) -> float:
    """Names end well before the first number column's cells begin."""
    if len(columns) < 2:
        return columns[0].centre_x - 1 if columns else 0.0
    first, second = columns[0].centre_x, columns[1].centre_x
    return first - 0.75 * (second - first)


def cells_of(
    line: Line, table: Table, parse: Callable[[str, str], object]
) -> tuple[str, dict[str, object]]:
    """A row's name (the text left of the numbers) and each column's parsed cell."""
    name_boxes = [box for box in line.boxes if box.centre_x < table.name_right]
    name = " ".join(box.text for box in name_boxes).strip()
    texts: dict[str, list[str]] = {}
    for box in line.boxes:
        if box.centre_x < table.name_right:
            continue
        for piece in _cell_pieces(box, table):
            field = table.field_at(piece.centre_x)
            if field is not None:
                texts.setdefault(field, []).append(piece.text)
    cells = {field: parse(field, "".join(parts)) for field, parts in texts.items()}
    return name, cells


def _cell_pieces(box: TextBox, table: Table) -> list[TextBox]:
    """A box that spans two columns' centres holds two cells: split it into words."""
    inside = [c for c in table.columns if box.left <= c.centre_x <= box.right]
    return split_box(box) if len(inside) > 1 else [box]
