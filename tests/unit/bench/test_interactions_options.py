"""The /debrief benchmark's command line."""

from __future__ import annotations

import pytest

from bench.interactions import parse_args


def test_defaults() -> None:
    options = parse_args([])

    assert (options.n, options.gemini_latency_s) == (100, 0.5)


def test_the_issues_larger_run() -> None:
    assert parse_args(["--n", "1000", "--gemini-latency", "0.25"]).n == 1000


@pytest.mark.parametrize("argv", [["--n", "0"], ["--gemini-latency", "-1"], ["--timeout", "0"]])
def test_nonsense_is_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(argv)


def test_a_trace_follows_one_debrief() -> None:
    assert parse_args(["--n", "1", "--trace"]).trace
    with pytest.raises(SystemExit):
        parse_args(["--n", "2", "--trace"])
