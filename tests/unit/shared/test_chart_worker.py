"""The chart worker: the same PNG as drawing in-process, one process reused, stopped when idle
and replaced when it dies."""

from __future__ import annotations

import asyncio
import io
import os
import signal
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta, timezone

import pytest

from app.core.analytics import SeriesPoint
from app.core.game.metrics import Stat
from app.shared.chart_worker import ChartError, ChartWorker, serve
from app.shared.charts import trend_chart

KD = [1.05, 1.1, 0.86, 1.46, 0.73, 1.22, 0.95, 1.6, 0.52, 1.87, 0.36, 1.3]
TITLE = "K/D · Ghost · last 12 matches"


def points(values: Sequence[float]) -> list[SeriesPoint]:
    # Not UTC, and near midnight: the worker must keep each time's offset for the date labels.
    start = datetime(2026, 10, 20, 23, 30, tzinfo=timezone(timedelta(hours=-7)))
    return [
        SeriesPoint(match_id=f"m{i}", played_at=start + timedelta(hours=7 * i), value=value)
        for i, value in enumerate(values)
    ]


@pytest.fixture
async def worker() -> AsyncIterator[ChartWorker]:
    charts = ChartWorker(idle_s=60.0, timeout_s=60.0)
    yield charts
    await charts.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_the_worker_draws_the_chart_the_bot_used_to_draw_itself(
    worker: ChartWorker,
) -> None:
    drawn = await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)

    assert drawn == trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)


async def test_charts_reuse_one_worker_and_queue_for_it(worker: ChartWorker) -> None:
    first = await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)
    pid = worker.pid
    charts = await asyncio.gather(
        *(
            worker.trend_chart(points(KD[:n]), title=TITLE, stat=Stat.KD, rolling=5)
            for n in (3, 6, 12)
        )
    )

    assert worker.pid == pid
    assert charts[2] == first
    assert len(set(charts)) == 3


async def test_the_worker_stops_when_idle_and_starts_again_when_needed() -> None:
    worker = ChartWorker(idle_s=0.2, timeout_s=60.0)
    try:
        await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)
        pid = worker.pid
        assert pid is not None
        for _ in range(100):
            if worker.pid is None and not alive(pid):
                break
            await asyncio.sleep(0.1)
        assert worker.pid is None
        assert not alive(pid)

        await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)
        assert worker.pid not in {None, pid}
    finally:
        await worker.close()


async def test_a_dead_worker_fails_one_chart_and_the_next_gets_a_new_one(
    worker: ChartWorker,
) -> None:
    await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)
    pid = worker.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)

    with pytest.raises(ChartError):
        await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)
    drawn = await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)

    assert worker.pid not in {None, pid}
    assert drawn == trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)


async def test_a_worker_that_does_not_answer_in_time_is_killed() -> None:
    worker = ChartWorker(idle_s=60.0, timeout_s=60.0)
    try:
        await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)
        pid = worker.pid
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)  # alive, but never answers
        worker._timeout_s = 0.5

        with pytest.raises(ChartError):
            await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)
        for _ in range(50):
            if not alive(pid):
                break
            await asyncio.sleep(0.1)
        assert not alive(pid)
    finally:
        await worker.close()


async def test_closing_stops_the_worker(worker: ChartWorker) -> None:
    await worker.trend_chart(points(KD), title=TITLE, stat=Stat.KD, rolling=5)
    pid = worker.pid
    assert pid is not None

    await worker.close()

    assert worker.pid is None
    assert not alive(pid)


def test_an_undrawable_request_is_answered_with_an_error_and_serving_goes_on() -> None:
    requests = io.BytesIO(
        b'{"title": "x", "stat": "kd", "rolling": 5, "points": [["not a date", 1]]}\n'
        b'{"title": "x", "stat": "kd", "rolling": 5, "points": []}\n'
    )
    answers = io.BytesIO()

    serve(requests, answers)

    raw = answers.getvalue()
    assert raw[0] == 1
    size = int.from_bytes(raw[1:5], "big")
    assert b"ValueError" in raw[5 : 5 + size]
    second = raw[5 + size :]
    assert second[0] == 0
    png = second[5:]
    assert int.from_bytes(second[1:5], "big") == len(png)
    assert png == trend_chart([], title="x", stat=Stat.KD, rolling=5)
