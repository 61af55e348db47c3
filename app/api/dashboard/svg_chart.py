"""The trend chart as inline SVG, drawn in Python: no matplotlib in the API process.

The same picture as the bot's PNG (`app/shared/charts.py`): each match's value, oldest left,
evenly spaced by order rather than by date, and its rolling average dashed; in the colours of
Discord's dark theme. A second player's series is overlaid, aligned on the newest match.
Jinja2 autoescapes the labels; numbers are formatted here, never taken from input as text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.i18n import _

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
# Five intervals: a fifth of a "nice" top (1, 2, 2.5 or 5 times a power of ten) is round too.
TICKS = 6
# Per series: value line, rolling-average line (Discord's blurple and yellow, then green and
# fuchsia for the second player).
PALETTE = (("#5865f2", "#fee75c"), ("#57f287", "#eb459e"))
MAX_MARKERS = 60


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: tuple[float, ...]
    averages: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    colour: str
    points: str  # SVG polyline points, "x,y x,y ..."
    dashed: bool
    markers: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    lines: tuple[Line, ...]
    ticks: tuple[Tick, ...]
    slots: int  # matches along the x axis
    empty: bool


def trend_chart(series: Sequence[Series]) -> Chart:
    """Lines and ticks for `series` (the first is the visitor's), ready for the template."""
    drawn = [s for s in series if s.values][: len(PALETTE)]
    if not drawn:
        return Chart(WIDTH, HEIGHT, (), (), 0, empty=True)
    slots = max(len(s.values) for s in drawn)
    top = _nice_top(max(max(s.values + s.averages) for s in drawn))
    lines: list[Line] = []
    for (value_colour, average_colour), one in zip(PALETTE, drawn, strict=False):
        offset = slots - len(one.values)  # newest matches line up on the right
        lines.append(_line(f"{one.label}", value_colour, one.values, offset, slots, top, False))
        lines.append(
            _line(
                _("{name}, average", name=one.label),
                average_colour,
                one.averages,
                offset,
                slots,
                top,
                True,
            )
        )
    ticks = tuple(
        Tick(_y(top * i / (TICKS - 1), top), _format(top * i / (TICKS - 1))) for i in range(TICKS)
    )
    return Chart(WIDTH, HEIGHT, tuple(lines), ticks, slots, empty=False)


def _line(
    label: str,
    colour: str,
    values: Sequence[float],
    offset: int,
    slots: int,
    top: float,
    dashed: bool,
) -> Line:
    coordinates = tuple(
        (_x(offset + index, slots), _y(value, top)) for index, value in enumerate(values)
    )
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    markers = () if dashed or len(values) > MAX_MARKERS else coordinates
    return Line(label, colour, points, dashed, markers)


def _x(slot: int, slots: int) -> float:
    if slots == 1:
        return LEFT + PLOT_WIDTH / 2
    return LEFT + PLOT_WIDTH * slot / (slots - 1)


def _y(value: float, top: float) -> float:
    return TOP + PLOT_HEIGHT * (1 - value / top)


def _nice_top(largest: float) -> float:
    """A round axis maximum above the largest value: 1, 2, 2.5 or 5 times a power of ten."""
    if largest <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= largest:
            return float(step * magnitude)
    return float(10 * magnitude)


def _format(value: float) -> str:
    return f"{value:.4g}"
