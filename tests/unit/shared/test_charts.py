"""The /trend chart: a small PNG in Discord's dark theme, readable at the width Discord shows it."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from matplotlib._pylab_helpers import Gcf
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from app.core.analytics import SeriesPoint
from app.core.game.metrics import Stat
from app.shared.charts import (
    DISPLAY_WIDTH_PX,
    HEIGHT_PX,
    MIN_DISPLAY_TEXT_PX,
    WIDTH_PX,
    date_labels,
    rolling_mean,
    trend_chart,
    trend_figure,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DISCORD_BACKGROUND = (0x31, 0x33, 0x38)


def points(values: Sequence[float]) -> list[SeriesPoint]:
    start = datetime(2026, 10, 20, 19, tzinfo=UTC)
    return [
        SeriesPoint(match_id=f"m{i}", played_at=start + timedelta(hours=7 * i), value=value)
        for i, value in enumerate(values)
    ]


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


KD = [1.05, 1.1, 0.86, 1.46, 0.73, 1.22, 0.95, 1.6, 0.52, 1.87, 0.36, 1.3]


def test_a_chart_is_a_small_png_of_the_expected_size() -> None:
    png = trend_chart(points(KD), title="Ghost · K/D", stat=Stat.KD)

    assert png.startswith(PNG_SIGNATURE)
    assert image(png).size == (WIDTH_PX, HEIGHT_PX)
    assert len(png) < 60_000


def test_the_chart_is_drawn_on_discords_dark_background() -> None:
    picture = image(trend_chart(points(KD), title="Ghost · K/D", stat=Stat.KD))

    assert picture.getpixel((2, 2)) == DISCORD_BACKGROUND
    assert picture.getpixel((WIDTH_PX - 3, HEIGHT_PX - 3)) == DISCORD_BACKGROUND


def test_different_data_draws_a_different_chart_and_the_same_data_the_same() -> None:
    first = trend_chart(points(KD), title="Ghost · K/D", stat=Stat.KD)
    again = trend_chart(points(KD), title="Ghost · K/D", stat=Stat.KD)
    other = trend_chart(points([*KD[:-1], 2.5]), title="Ghost · K/D", stat=Stat.KD)

    assert first == again
    assert first != other


def test_a_long_history_with_large_values_stays_small() -> None:
    scores = [2500 + (i * 7919) % 6500 for i in range(200)]

    png = trend_chart(points(scores), title="Ghost · Score", stat=Stat.SCORE, rolling=10)

    assert image(png).size == (WIDTH_PX, HEIGHT_PX)
    assert len(png) < 80_000


@pytest.mark.parametrize("values", [[], [1.0], [0.0, 0.0, 0.0]])
def test_no_or_flat_data_still_draws(values: list[float]) -> None:
    png = trend_chart(points(values), title="Ghost · Captures", stat=Stat.CAPTURES)

    assert image(png).size == (WIDTH_PX, HEIGHT_PX)


def test_charts_leave_no_global_figures_behind() -> None:
    for _ in range(3):
        trend_chart(points(KD), title="Ghost · K/D", stat=Stat.KD)

    assert Gcf.get_num_fig_managers() == 0


def test_rolling_mean_averages_what_there_is_until_the_window_fills() -> None:
    assert rolling_mean([2.0, 4.0, 6.0, 8.0], 3) == [2.0, 3.0, 4.0, 6.0]
    assert rolling_mean([5.0, 1.0], 1) == [5.0, 1.0]
    assert rolling_mean([], 5) == []


# Every kind of label the chart can have: ratios, percentages, m:ss, thousands, one day with
# several matches (two-line labels) and a long title.
MEASURED = [
    (Stat.KD, KD),
    (Stat.ACCURACY, [18.5, 22.0, 31.25, 24.0, 19.5, 27.0]),
    (Stat.OBJECTIVE_TIME, [52, 71, 112, 95, 130, 64, 88]),
    (Stat.SCORE, [2500 + (i * 7919) % 6500 for i in range(60)]),
]


def visible_texts(figure: Figure) -> list[Text]:
    figure.canvas.draw()  # lays out the ticks and their labels
    return [
        text
        for text in figure.findobj(Text)
        if isinstance(text, Text) and text.get_visible() and text.get_text().strip()
    ]


@pytest.mark.parametrize(("stat", "values"), MEASURED, ids=[s.value for s, _ in MEASURED])
def test_every_text_is_readable_at_discords_display_width(stat: Stat, values: list[float]) -> None:
    figure = trend_figure(
        busy_evening(values), title="Hill time · Alex's last 60 Hardpoint matches", stat=stat
    )
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    scale = DISPLAY_WIDTH_PX / WIDTH_PX

    texts = visible_texts(figure)
    assert len(texts) >= 8, "title, legend, dates and values"
    for text in texts:
        # The font's size in shown pixels, and the height of each drawn line at that scale
        # (a line's box is a little taller than the font: ascenders and descenders).
        font_px = text.get_fontsize() * figure.dpi / 72 * scale
        lines = text.get_text().count("\n") + 1
        drawn_px = text.get_window_extent(renderer).height / lines * scale
        assert font_px >= MIN_DISPLAY_TEXT_PX, (text.get_text(), font_px)
        assert drawn_px >= MIN_DISPLAY_TEXT_PX, (text.get_text(), drawn_px)


def busy_evening(values: Sequence[float]) -> list[SeriesPoint]:
    """Matches 40 minutes apart from 18:00, so several share a day."""
    start = datetime(2026, 12, 4, 18, tzinfo=UTC)
    return [
        SeriesPoint(match_id=f"m{i}", played_at=start + timedelta(minutes=40 * i), value=value)
        for i, value in enumerate(values)
    ]


def tick_texts(figure: Figure, axis: str) -> list[str]:
    figure.canvas.draw()
    axes = figure.axes[0]
    ticks = axes.get_xticklabels() if axis == "x" else axes.get_yticklabels()
    return [tick.get_text() for tick in ticks if tick.get_text()]


def test_dates_that_repeat_get_the_time_of_day_so_no_two_labels_match() -> None:
    figure = trend_figure(busy_evening(KD), title="K/D", stat=Stat.KD)

    labels = tick_texts(figure, "x")

    assert len(labels) == len(set(labels)) >= 2
    assert labels[0] == "Dec 4\n18:00"
    on_the_4th = [label for label in labels if label.startswith("Dec 4")]
    assert len(on_the_4th) >= 2
    assert all(re.fullmatch(r"Dec 4\n\d\d:\d\d", label) for label in on_the_4th)


def test_a_date_alone_when_no_other_label_shares_it() -> None:
    labels = tick_texts(trend_figure(points(KD[:4]), title="K/D", stat=Stat.KD), "x")

    # 7 hours apart from 19:00: Oct 20, Oct 21 (02:00), Oct 21 (09:00), Oct 21 (16:00).
    assert labels == ["Oct 20", "Oct 21\n02:00", "Oct 21\n09:00", "Oct 21\n16:00"]


def test_matches_at_the_same_minute_are_numbered() -> None:
    same_time = datetime(2026, 12, 4, 18, tzinfo=UTC)
    tied = [SeriesPoint(match_id=f"m{i}", played_at=same_time, value=1.0) for i in range(3)]

    assert date_labels(tied) == ["#1", "#2", "#3"]


@pytest.mark.parametrize(
    ("stat", "values", "pattern"),
    [
        (Stat.OBJECTIVE_TIME, [52, 71, 112, 95, 130], r"\d+:\d\d"),
        (Stat.ACCURACY, [18.5, 22.0, 31.25, 24.0], r"\d+\.\d%"),
        (Stat.KD, KD, r"\d\.\d\d"),
    ],
)
def test_values_read_as_players_read_them(stat: Stat, values: list[float], pattern: str) -> None:
    labels = tick_texts(trend_figure(points(values), title="x", stat=stat), "y")

    assert labels and all(re.fullmatch(pattern, label) for label in labels), labels
