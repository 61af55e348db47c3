"""/ping's latency line: a number once discord.py has measured one, and no false zero before."""

from __future__ import annotations

import math

import pytest

from app.bot.cogs.meta import latency_text


@pytest.mark.parametrize("unmeasured", [math.nan, math.inf])
def test_before_the_first_heartbeat_the_latency_is_not_measured(unmeasured: float) -> None:
    assert latency_text(unmeasured) == "not measured yet"


def test_a_measured_latency_is_in_whole_milliseconds() -> None:
    assert latency_text(0.1004) == "100 ms"
    assert latency_text(0.0) == "0 ms"
