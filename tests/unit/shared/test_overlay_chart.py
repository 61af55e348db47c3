"""The /compare chart: two players' trends on one chart, drawn in-process and by the worker."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from PIL import Image

from app.core.analytics import SeriesPoint
from app.core.game.metrics import Stat
from app.shared.chart_worker import ChartWorker
from app.shared.charts import HEIGHT_PX, WIDTH_PX, overlay_chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BLURPLE, GREEN = (0x58, 0x65, 0xF2), (0x57, 0xF2, 0x87)


def points(values: Sequence[float], *, start_hour: int = 19) -> list[SeriesPoint]:
    start = datetime(2026, 10, 20, start_hour, tzinfo=UTC)
    return [
        SeriesPoint(match_id=f"m{i}", played_at=start + timedelta(hours=7 * i), value=value)
        for i, value in enumerate(values)
    ]


YOU = points([1.05, 1.1, 0.86, 1.46, 0.73, 1.22, 0.95, 1.6])
THEM = points([0.8, 0.9, 1.3, 1.1, 0.6], start_hour=2)


def colours(png: bytes) -> set[tuple[int, int, int]]:
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in picture.getcolors(maxcolors=256) or []}


def near(colour: tuple[int, int, int], palette: set[tuple[int, int, int]]) -> bool:
    return any(sum(abs(a - b) for a, b in zip(colour, c, strict=True)) < 30 for c in palette)


def test_both_players_are_drawn_in_their_own_colour() -> None:
    png = overlay_chart([("Ghost", YOU), ("Soap", THEM)], title="K/D", stat=Stat.KD)

    assert png.startswith(PNG_SIGNATURE)
    assert Image.open(io.BytesIO(png)).size == (WIDTH_PX, HEIGHT_PX)
    assert near(BLURPLE, colours(png)) and near(GREEN, colours(png))


def test_one_player_alone_draws_one_colour() -> None:
    png = overlay_chart([("Ghost", YOU), ("Soap", [])], title="K/D", stat=Stat.KD)

    assert near(BLURPLE, colours(png)) and not near(GREEN, colours(png))


async def test_the_worker_draws_the_same_overlay() -> None:
    worker = ChartWorker(idle_s=60.0, timeout_s=60.0)
    try:
        drawn = await worker.overlay_chart(
            [("Ghost", YOU), ("Soap", THEM)], title="K/D", stat=Stat.KD, rolling=5
        )
    finally:
        await worker.close()

    assert drawn == overlay_chart([("Ghost", YOU), ("Soap", THEM)], title="K/D", stat=Stat.KD)
