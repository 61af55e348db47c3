"""Which matches a stat can be computed over, shared by the database and the fakes."""

from __future__ import annotations

from app.core.game.errors import UnknownStat
from app.core.game.metrics import Stat, stats_for_mode
from app.core.game.rules import Mode


def mode_for(stat: Stat, mode: Mode | None) -> Mode | None:
    """The mode to restrict matches to when ranking or charting ``stat``.

    A stat every mode has keeps the requested mode (None: all modes). A mode-only stat, such
    as captures, implies its mode, and contradicts any other one (`UnknownStat`).
    """
    if stat.mode is None:
        return mode
    if mode is not None and mode is not stat.mode:
        raise UnknownStat(stat.value, stats_for_mode(mode))
    return stat.mode
