"""PNG charts for /trend and the dashboard, drawn for Discord's dark theme.

Matplotlib's object-oriented API with the Agg canvas is used directly, never pyplot: pyplot
keeps global figures and a global backend, which leak between calls and are not safe in a
process that draws for many requests at once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from app.core.analytics import rolling_mean
from app.core.reads.stats import ROLLING_WINDOW

WIDTH_PX, HEIGHT_PX = 1000, 500
_DPI = 100
# Discord's dark theme: chat background, a darker panel, text, muted text, blurple, yellow.
_BACKGROUND = "#313338"
_PANEL = "#2b2d31"
_TEXT = "#f2f3f5"
_MUTED = "#b5bac1"
_GRID = "#404249"
_VALUE = "#5865f2"
_AVERAGE = "#fee75c"
# A palette this small keeps the PNG to a few tens of kB with no visible banding.
_PALETTE_COLOURS = 64
_MAX_DATE_TICKS = 8
# Past this many matches, markers merge into a smear; the line alone reads better.
_MAX_MARKERS = 60
# What fits on one line across the chart at the title's size.
_MAX_TITLE = 80
# The value axis spans at least this share of the largest value.
_MIN_SPAN = 0.3


class Point(Protocol):
    """A value of one match: a repository's `SeriesPoint` or a read layer's `TrendPoint`."""

    @property
    def played_at(self) -> datetime: ...

    @property
    def value(self) -> float: ...


def trend_chart(
    points: Sequence[Point], *, title: str, stat_label: str, rolling: int = ROLLING_WINDOW
) -> bytes:
    """A PNG of the stat match by match (oldest left), with its rolling average.

    Matches are evenly spaced by order, not by date, so a busy evening does not squash into a
    single column; the dates are the tick labels. Drawing takes about 0.1 s of CPU. The bot
    never imports this module: it asks `app.shared.chart_worker`, which draws in a child
    process, so matplotlib never loads in the bot.
    """
    figure = Figure(figsize=(WIDTH_PX / _DPI, HEIGHT_PX / _DPI), dpi=_DPI, facecolor=_BACKGROUND)
    FigureCanvasAgg(figure)  # the Agg backend, for this figure only
    axes = figure.add_subplot()
    _style(axes)
    figure.suptitle(
        _shorten(title), x=0.07, y=0.96, ha="left", color=_TEXT, fontsize=16, weight="bold"
    )
    if points:
        _plot(axes, points, stat_label, max(rolling, 1))
    else:
        _nothing_to_plot(axes)
    figure.subplots_adjust(left=0.07, right=0.96, top=0.83, bottom=0.1)
    return _png(figure)


def _style(axes: Axes) -> None:
    axes.set_facecolor(_PANEL)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(_GRID)
    axes.tick_params(colors=_MUTED, labelsize=10, length=0, pad=8)
    axes.grid(axis="y", color=_GRID, linewidth=0.8)
    axes.set_axisbelow(True)


def _plot(axes: Axes, points: Sequence[Point], stat_label: str, rolling: int) -> None:
    x = list(range(len(points)))
    values = [p.value for p in points]
    marker = "o" if len(points) <= _MAX_MARKERS else None
    axes.plot(
        x,
        values,
        color=_VALUE,
        linewidth=2,
        marker=marker,
        markersize=5,
        label=stat_label,
        zorder=3,
    )
    if rolling > 1:
        axes.plot(
            x,
            rolling_mean(values, rolling),
            color=_AVERAGE,
            linewidth=2.5,
            label=f"{rolling}-match average",
        )
    axes.set_xlim(-0.5, len(points) - 0.5)
    axes.set_ylim(*_value_range(values))
    axes.xaxis.set_major_locator(MaxNLocator(nbins=_MAX_DATE_TICKS, integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda tick, _: _date_label(points, tick)))
    if max(abs(v) for v in values) >= 1000:
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    legend = axes.legend(
        loc="lower left",
        bbox_to_anchor=(-0.01, 1.0),
        ncols=2,
        frameon=False,
        fontsize=11,
        labelcolor=_MUTED,
    )
    legend.set_in_layout(False)


def _nothing_to_plot(axes: Axes) -> None:
    axes.set_xticks([])
    axes.set_yticks([])
    axes.text(
        0.5,
        0.5,
        "No matches to chart yet",
        transform=axes.transAxes,
        ha="center",
        va="center",
        color=_MUTED,
        fontsize=14,
    )


def _value_range(values: Sequence[float]) -> tuple[float, float]:
    """Limits with some air, and never so tight that noise looks like a trend: a K/D going
    from 1.05 to 1.11 should look nearly flat."""
    low, high = min(values), max(values)
    span = max(high - low, abs(high) * _MIN_SPAN, _MIN_SPAN)
    middle = (low + high) / 2
    low, high = middle - span / 2, middle + span / 2
    pad = span * 0.12
    # Stats cannot be negative; don't invent room below zero.
    return max(low - pad, 0.0) if min(values) >= 0 else low - pad, high + pad


def _shorten(title: str) -> str:
    return title if len(title) <= _MAX_TITLE else title[: _MAX_TITLE - 1].rstrip() + "…"


def _date_label(points: Sequence[Point], tick: float) -> str:
    index = round(tick)
    if not 0 <= index < len(points) or index != tick:
        return ""
    played = points[index].played_at
    return f"{played:%b} {played.day}"


def _png(figure: Figure) -> bytes:
    raw = io.BytesIO()
    figure.savefig(raw, format="rgba", dpi=_DPI)
    size = (round(figure.get_figwidth() * _DPI), round(figure.get_figheight() * _DPI))
    image = Image.frombytes("RGBA", size, raw.getvalue())
    palette = image.convert("RGB").quantize(colors=_PALETTE_COLOURS)
    png = io.BytesIO()
    palette.save(png, format="PNG", optimize=True)
    return png.getvalue()
