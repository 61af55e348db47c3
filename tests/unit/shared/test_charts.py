"""The /trend chart: a small PNG of the expected size, in Discord's dark theme."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from matplotlib._pylab_helpers import Gcf
from PIL import Image

from app.core.analytics import SeriesPoint
from app.shared.charts import HEIGHT_PX, WIDTH_PX, rolling_mean, trend_chart

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
    png = trend_chart(points(KD), title="Ghost · K/D", stat_label="K/D")

    assert png.startswith(PNG_SIGNATURE)
    assert image(png).size == (WIDTH_PX, HEIGHT_PX)
    assert len(png) < 60_000


def test_the_chart_is_drawn_on_discords_dark_background() -> None:
    picture = image(trend_chart(points(KD), title="Ghost · K/D", stat_label="K/D"))

    assert picture.getpixel((2, 2)) == DISCORD_BACKGROUND
    assert picture.getpixel((WIDTH_PX - 3, HEIGHT_PX - 3)) == DISCORD_BACKGROUND


def test_different_data_draws_a_different_chart_and_the_same_data_the_same() -> None:
    first = trend_chart(points(KD), title="Ghost · K/D", stat_label="K/D")
    again = trend_chart(points(KD), title="Ghost · K/D", stat_label="K/D")
    other = trend_chart(points([*KD[:-1], 2.5]), title="Ghost · K/D", stat_label="K/D")

    assert first == again
    assert first != other


def test_a_long_history_with_large_values_stays_small() -> None:
    scores = [2500 + (i * 7919) % 6500 for i in range(200)]

    png = trend_chart(points(scores), title="Ghost · Score", stat_label="Score", rolling=10)

    assert image(png).size == (WIDTH_PX, HEIGHT_PX)
    assert len(png) < 80_000


@pytest.mark.parametrize("values", [[], [1.0], [0.0, 0.0, 0.0]])
def test_no_or_flat_data_still_draws(values: list[float]) -> None:
    png = trend_chart(points(values), title="Ghost · Captures", stat_label="Captures")

    assert image(png).size == (WIDTH_PX, HEIGHT_PX)


def test_charts_leave_no_global_figures_behind() -> None:
    for _ in range(3):
        trend_chart(points(KD), title="Ghost · K/D", stat_label="K/D")

    assert Gcf.get_num_fig_managers() == 0


def test_rolling_mean_averages_what_there_is_until_the_window_fills() -> None:
    assert rolling_mean([2.0, 4.0, 6.0, 8.0], 3) == [2.0, 3.0, 4.0, 6.0]
    assert rolling_mean([5.0, 1.0], 1) == [5.0, 1.0]
    assert rolling_mean([], 5) == []
