"""The memory benchmark's options, sampling and report, without starting any process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter

import pytest

from bench._memory_load import LoadResult
from bench.common import MIB
from bench.memory import (
    CHART_WORKER,
    HighestRss,
    Options,
    Reading,
    Report,
    _chart_worker_of,
    parse_args,
    report_text,
)

OPTIONS = Options(servers=1000, channels=20, matches=10, load_s=5.0, concurrency=4, settle_s=0.0)


def test_defaults_are_the_issues_world() -> None:
    options = parse_args([])

    assert (options.servers, options.channels) == (1000, 20)


@pytest.mark.parametrize(
    "argv", [["--concurrency", "0"], ["--servers", "-1"], ["--load-seconds", "0"]]
)
def test_nonsense_options_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(argv)


async def test_the_highest_sample_is_kept_while_the_block_runs() -> None:
    sampler = HighestRss(os.getpid())

    async with sampler.sampling():
        await asyncio.sleep(0.01)

    assert sampler.highest > 10 * MIB


def test_the_report_shows_each_reading_and_the_cost_of_a_server() -> None:
    report = Report(
        readings=[
            Reading("bot, 1 server", "settled (4 s later)", 100 * MIB, 101 * MIB),
            Reading("bot, 1,001 servers", "settled (5 s later)", 110 * MIB, 112 * MIB),
        ],
        load=LoadResult(requests=300, seconds=10.0, statuses=Counter({200: 299, 500: 1})),
    )

    text = report_text(report, OPTIONS, ["--servers", "1000"])

    assert "Command: python -m bench.memory --servers 1000" in text
    assert "| bot, 1,001 servers | settled (5 s later) | 110.0     | 112.0          |" in text
    assert "Bot memory per extra server (settled): 10.2 KiB" in text
    assert "300 GETs, 4 at a time, over 10.0 s (30/s); answers 200: 299, 500: 1" in text


def test_the_report_gives_the_time_of_each_trend() -> None:
    report = Report(trends=[1.234, 0.25])

    text = report_text(report, OPTIONS, [])

    assert "/trend (100 matches), from the command to the chart posted: 1.23 s and 0.25 s" in text


def test_the_chart_worker_is_found_among_the_bots_children_only() -> None:
    assert _chart_worker_of(os.getpid()) is None
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", CHART_WORKER])
    try:
        assert _chart_worker_of(os.getpid()) == worker.pid
        assert _chart_worker_of(other.pid) is None
    finally:
        for child in (other, worker):
            child.kill()
            child.wait()
