"""Which matches a stat can be computed over, shared by the database and the fakes."""

from __future__ import annotations

from app.core.game.metrics import Stat, check_stat_in_mode
from app.core.game.rules import Mode


def mode_for(stat: Stat, mode: Mode | None) -> Mode | None:
    """The mode to restrict matches to when ranking or charting ``stat``.

    A stat every mode has keeps the requested mode (None: all modes). A mode-only stat, such
    as captures, implies its mode, and contradicts any other one (`StatNotInMode`).
    """
    check_stat_in_mode(stat, mode)
    return mode if stat.mode is None else stat.mode
