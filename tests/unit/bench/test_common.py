"""The benchmarks' arithmetic and formatting: percentiles, windows, rates, tables, /proc."""

from __future__ import annotations

import math
import os

import pytest

from bench.common import (
    cpu_seconds,
    markdown_table,
    mean_rate,
    peak_in_window,
    peak_resident_bytes,
    percentile,
    resident_bytes,
    this_machine,
)


@pytest.mark.parametrize(
    ("q", "expected"),
    [(0, 1.0), (50, 3.0), (100, 5.0), (25, 2.0), (90, 4.6), (99, 4.96)],
)
def test_percentile_interpolates_between_the_closest_ranks(q: float, expected: float) -> None:
    assert percentile([5.0, 1.0, 4.0, 2.0, 3.0], q) == pytest.approx(expected)


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([0.25], 99) == 0.25


def test_percentile_refuses_nothing_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], 101)


def test_peak_in_window_slides_instead_of_using_calendar_seconds() -> None:
    # Calendar seconds would see 2 and 2; a sliding window sees the 3 within 0.6 s.
    assert peak_in_window([0.1, 0.7, 1.1, 1.3, 5.0]) == 3


def test_peak_in_window_excludes_an_event_exactly_one_window_later() -> None:
    assert peak_in_window([0.0, 1.0, 2.0]) == 1
    assert peak_in_window([]) == 0
    assert peak_in_window([3.0, 0.0, 0.5], window_s=2.0) == 2


def test_mean_rate() -> None:
    assert mean_rate(30, 2.0) == 15.0
    assert mean_rate(7, 0.0) == 7.0


def test_markdown_table_aligns_columns() -> None:
    table = markdown_table(("figure", "value"), [("p50", "0.1 s"), ("requests per second", 12)])

    assert table.splitlines() == [
        "| figure              | value |",
        "|---------------------|-------|",
        "| p50                 | 0.1 s |",
        "| requests per second | 12    |",
    ]


def test_markdown_table_refuses_a_row_of_the_wrong_width() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        markdown_table(("a", "b"), [("only one",)])


def test_this_process_is_measured_from_proc() -> None:
    pid = os.getpid()

    assert 0 < resident_bytes(pid) <= peak_resident_bytes(pid)
    assert cpu_seconds(pid) > 0
    assert cpu_seconds() > 0
    machine = this_machine()
    assert machine.cpus >= 1 and machine.memory_gib > 0 and not math.isnan(machine.memory_gib)
    assert f"{machine.cpus} CPU(s)" in str(machine)


def test_a_missing_process_is_reported() -> None:
    with pytest.raises(LookupError, match="still running"):
        resident_bytes(2**22 + 12345)
