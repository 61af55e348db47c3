"""PNG charts for /trend and the dashboard, drawn for Discord's dark theme.

Matplotlib's object-oriented API with the Agg canvas is used directly, never pyplot: pyplot
keeps global figures and a global backend, which leak between calls and are not safe in a
process that draws for many requests at once.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import (
    FixedFormatter,
    FixedLocator,
    FuncFormatter,
    MaxNLocator,
    MultipleLocator,
)
from PIL import Image

from app.core.analytics import rolling_mean
from app.core.debriefing.formatting import TIME_STATS, format_stat
from app.core.game.metrics import Stat
from app.core.reads.stats import ROLLING_WINDOW

# Discord shows an embed's image about 400 px wide in a chat column (the emulator notes and
# the architecture give no figure; 400 px is the usual one, and the narrower of the sizes its
# clients use, so text readable there is readable everywhere). The chart is drawn at twice
# that for sharp lines on high-density screens, with every text sized for the shown width: at
# 400 px none is under 11 px (the smallest text Discord's own interface uses); it is 12.
DISPLAY_WIDTH_PX = 400
MIN_DISPLAY_TEXT_PX = 11
WIDTH_PX, HEIGHT_PX = 800, 450
_DPI = 100
# Points per shown pixel: a font of N points is N * _DPI / 72 image pixels, shown at 400/800.
_PT_PER_DISPLAY_PX = 72 / _DPI * WIDTH_PX / DISPLAY_WIDTH_PX
_SMALL_PT = 12 * _PT_PER_DISPLAY_PX  # 12 shown px: tick labels and the legend
_TITLE_PT = 15 * _PT_PER_DISPLAY_PX
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
# As many date labels as fit side by side at this size, two lines each when a day repeats.
_MAX_DATE_TICKS = 5
# Past this many matches, markers merge into a smear; the line alone reads better.
_MAX_MARKERS = 40
# What fits on one line across the chart at the title's size.
_MAX_TITLE = 44
# The value axis spans at least this share of the largest value.
_MIN_SPAN = 0.3
_TIME_STEPS_S = (15, 30, 60, 120, 300, 600)
_MAX_VALUE_TICKS = 5


class Point(Protocol):
    """A value of one match: a repository's `SeriesPoint` or a read layer's `TrendPoint`."""

    @property
    def played_at(self) -> datetime: ...

    @property
    def value(self) -> float: ...


def trend_chart(
    points: Sequence[Point], *, title: str, stat: Stat, rolling: int = ROLLING_WINDOW
) -> bytes:
    """A PNG of the stat match by match (oldest left), with its rolling average.

    Matches are evenly spaced by order, not by date, so a busy evening does not squash into a
    single column; the dates (with the time of day when a day has several) are the tick
    labels. Drawing takes about 0.1 s of CPU. The bot never imports this module: it asks
    `app.shared.chart_worker`, which draws in a child process, so matplotlib never loads in
    the bot.
    """
    return _png(trend_figure(points, title=title, stat=stat, rolling=rolling))


def trend_figure(
    points: Sequence[Point], *, title: str, stat: Stat, rolling: int = ROLLING_WINDOW
) -> Figure:
    """The chart before it is encoded, for `trend_chart` and for measuring its text."""
    figure = Figure(figsize=(WIDTH_PX / _DPI, HEIGHT_PX / _DPI), dpi=_DPI, facecolor=_BACKGROUND)
    FigureCanvasAgg(figure)  # the Agg backend, for this figure only
    axes = figure.add_subplot()
    _style(axes)
    figure.suptitle(
        _shorten(title), x=0.03, y=0.97, ha="left", color=_TEXT, fontsize=_TITLE_PT, weight="bold"
    )
    if points:
        _plot(axes, points, stat, max(rolling, 1))
    else:
        _nothing_to_plot(axes)
    figure.subplots_adjust(left=0.13, right=0.97, top=0.76, bottom=0.19)
    return figure


def _style(axes: Axes) -> None:
    axes.set_facecolor(_PANEL)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(_GRID)
    axes.tick_params(colors=_MUTED, labelsize=_SMALL_PT, length=0, pad=6)
    axes.grid(axis="y", color=_GRID, linewidth=1.2)
    axes.set_axisbelow(True)


def _plot(axes: Axes, points: Sequence[Point], stat: Stat, rolling: int) -> None:
    x = list(range(len(points)))
    values = [p.value for p in points]
    marker = "o" if len(points) <= _MAX_MARKERS else None
    axes.plot(
        x,
        values,
        color=_VALUE,
        linewidth=3,
        marker=marker,
        markersize=7,
        label=stat.label,
        zorder=3,
    )
    if rolling > 1:
        axes.plot(
            x,
            rolling_mean(values, rolling),
            color=_AVERAGE,
            linewidth=3.5,
            label=f"{rolling}-match average",
        )
    axes.set_xlim(-0.5, len(points) - 0.5)
    axes.set_ylim(*_value_range(values))
    ticks = _date_ticks(len(points))
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_major_formatter(FixedFormatter(date_labels([points[i] for i in ticks])))
    _value_axis(axes, stat)
    _legend_above(axes)


def _legend_above(axes: Axes) -> None:
    """The series' names in a row above the plot, outside the layout so the plot keeps its
    size whatever the names' length."""
    legend = axes.legend(
        loc="lower left",
        bbox_to_anchor=(-0.01, 1.0),
        ncols=2,
        frameon=False,
        fontsize=_SMALL_PT,
        labelcolor=_MUTED,
        handlelength=1.2,
        columnspacing=1.2,
    )
    legend.set_in_layout(False)


def _value_axis(axes: Axes, stat: Stat) -> None:
    """Values as players read them (1:52, 23.5%, 6,100), at steps that read well."""
    if stat in TIME_STATS:
        low, high = axes.get_ylim()
        step = next((s for s in _TIME_STEPS_S if (high - low) / s <= _MAX_VALUE_TICKS), 1200)
        axes.yaxis.set_major_locator(MultipleLocator(step))
    else:
        axes.yaxis.set_major_locator(MaxNLocator(nbins=_MAX_VALUE_TICKS))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_stat(stat, value)))


def _date_ticks(count: int) -> list[int]:
    """Up to `_MAX_DATE_TICKS` match positions at equal steps from the oldest, so no two
    labels crowd each other."""
    step = max(1, math.ceil((count - 1) / (_MAX_DATE_TICKS - 1)))
    return list(range(0, count, step))


def date_labels(points: Sequence[Point]) -> list[str]:
    """A label per point that tells it from the others: its date ("Dec 4"), with the time of
    day (UTC) under it when another shares the date, and the match's place in the chart when
    even that is shared."""
    days = [f"{p.played_at:%b} {p.played_at.day}" for p in points]
    labels = [
        f"{day}\n{p.played_at:%H:%M}" if days.count(day) > 1 else day
        for day, p in zip(days, points, strict=True)
    ]
    if len(set(labels)) < len(labels):
        return [f"#{i + 1}" for i in range(len(points))]
    return labels


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
        fontsize=_TITLE_PT,
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


def _png(figure: Figure) -> bytes:
    raw = io.BytesIO()
    figure.savefig(raw, format="rgba", dpi=_DPI)
    size = (round(figure.get_figwidth() * _DPI), round(figure.get_figheight() * _DPI))
    image = Image.frombytes("RGBA", size, raw.getvalue())
    palette = image.convert("RGB").quantize(colors=_PALETTE_COLOURS)
    png = io.BytesIO()
    palette.save(png, format="PNG", optimize=True)
    return png.getvalue()


# The second player's colour beside blurple: Discord's green, as far from it as the theme goes.
_SECOND = "#57f287"
_SERIES_COLOURS = (_VALUE, _SECOND, _AVERAGE, _MUTED)
_MAX_LEGEND_NAME = 14


def overlay_chart(
    series: Sequence[tuple[str, Sequence[Point]]],
    *,
    title: str,
    stat: Stat,
    rolling: int = ROLLING_WINDOW,
) -> bytes:
    """A PNG of two (or more) players' values of one stat, each with its rolling average.

    Each player's matches are spaced by order and aligned on their latest match (right), so
    "the last ten matches" line up even when the two played on different days. Values are thin
    lines, averages thick ones in the same colour: the averages are what to compare. Sized and
    lettered like `trend_chart`, for the same place in Discord.
    """
    figure = Figure(figsize=(WIDTH_PX / _DPI, HEIGHT_PX / _DPI), dpi=_DPI, facecolor=_BACKGROUND)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    _style(axes)
    figure.suptitle(
        _shorten(title), x=0.03, y=0.97, ha="left", color=_TEXT, fontsize=_TITLE_PT, weight="bold"
    )
    drawn = [(name, points) for name, points in series if points]
    if drawn:
        _plot_overlay(axes, drawn, stat, max(rolling, 1))
    else:
        _nothing_to_plot(axes)
    figure.subplots_adjust(left=0.13, right=0.97, top=0.76, bottom=0.19)
    return _png(figure)


def _plot_overlay(
    axes: Axes, series: Sequence[tuple[str, Sequence[Point]]], stat: Stat, rolling: int
) -> None:
    longest = max(len(points) for _, points in series)
    every_value: list[float] = []
    for (name, points), colour in zip(series, _SERIES_COLOURS, strict=False):
        values = [p.value for p in points]
        every_value += values
        x = list(range(longest - len(values), longest))
        axes.plot(x, values, color=colour, linewidth=1.5, alpha=0.45, zorder=2)
        # Two labels side by side must fit across the chart: long names are cut short.
        short = name if len(name) <= _MAX_LEGEND_NAME else name[: _MAX_LEGEND_NAME - 1] + "…"
        label = f"{short}, {rolling}-match avg" if rolling > 1 else short
        axes.plot(x, rolling_mean(values, rolling), color=colour, linewidth=3.5, label=label)
    axes.set_xlim(-0.5, longest - 0.5)
    axes.set_ylim(*_value_range(every_value))
    # Counted back from the latest match, which every player's line reaches.
    ticks = sorted(longest - 1 - i for i in _date_ticks(longest))
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_major_formatter(FixedFormatter([_matches_ago(longest, i) for i in ticks]))
    _value_axis(axes, stat)
    _legend_above(axes)


def _matches_ago(longest: int, index: int) -> str:
    ago = longest - 1 - index
    return "latest" if ago == 0 else f"{ago} ago"
