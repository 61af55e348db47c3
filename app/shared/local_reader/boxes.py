"""Text boxes as the OCR engine finds them, grouped into the lines of a screen."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

Color = tuple[int, int, int]
# A box belongs to a line when its middle is within this share of the line's text height.
SAME_LINE = 0.5


@dataclass(frozen=True, slots=True)
class TextBox:
    """One piece of text, its bounds in pixels, and the colours under and of its glyphs."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    background: Color = (0, 0, 0)
    ink: Color = (255, 255, 255)

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def width(self) -> float:
        return self.right - self.left


@dataclass(frozen=True, slots=True)
class Line:
    """Boxes whose middles line up, left to right."""

    boxes: tuple[TextBox, ...]

    @property
    def centre_y(self) -> float:
        return statistics.median(box.centre_y for box in self.boxes)

    @property
    def height(self) -> float:
        return statistics.median(box.height for box in self.boxes)

    @property
    def text(self) -> str:
        return " ".join(box.text for box in self.boxes)


def lines_of(boxes: Iterable[TextBox]) -> list[Line]:
    """Boxes grouped into lines, top to bottom; each line's boxes left to right."""
    groups: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.centre_y):
        if groups and _same_line(groups[-1], box):
            groups[-1].append(box)
        else:
            groups.append([box])
    return [Line(tuple(sorted(group, key=lambda b: b.left))) for group in groups]


def _same_line(group: Sequence[TextBox], box: TextBox) -> bool:
    middle = statistics.median(b.centre_y for b in group)
    height = min(statistics.median(b.height for b in group), box.height)
    return abs(box.centre_y - middle) <= SAME_LINE * height


def split_box(box: TextBox) -> list[TextBox]:
    """A box of several words as one box per word, each given its share of the width by
    its number of characters (the OCR engine sometimes reads neighbouring cells as one)."""
    words = box.text.split()
    if len(words) <= 1:
        return [box]
    total = sum(len(word) for word in words) + len(words) - 1
    per_char = box.width / total
    pieces, left = [], box.left
    for word in words:
        right = left + per_char * len(word)
        pieces.append(replace(box, text=word, left=left, right=right))
        left = right + per_char
    return pieces
