"""Which matches a stat is ranked or charted over."""

from __future__ import annotations

import pytest

from app.core.debriefing.stat_scope import mode_for
from app.core.game.errors import UnknownStat
from app.core.game.metrics import Stat
from app.core.game.rules import Mode


@pytest.mark.parametrize("mode", [None, *Mode])
def test_a_stat_of_every_mode_keeps_the_requested_mode(mode: Mode | None) -> None:
    assert mode_for(Stat.KD, mode) is mode


@pytest.mark.parametrize("mode", [None, Mode.HARDPOINT])
def test_a_mode_only_stat_implies_its_mode(mode: Mode | None) -> None:
    assert mode_for(Stat.CAPTURES, mode) is Mode.HARDPOINT


def test_a_mode_only_stat_of_another_mode_is_unknown_there() -> None:
    with pytest.raises(UnknownStat) as raised:
        mode_for(Stat.PLANTS, Mode.OVERLOAD)

    assert "overloads" in raised.value.valid
    assert "plants" not in raised.value.valid
