"""From the text on each screenshot to one match's raw stats, as Gemini would return them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.shared.local_reader.boxes import TextBox, lines_of
from app.shared.local_reader.scoreboard import Reread, read_scoreboard
from app.shared.local_reader.weapons import read_weapons


@dataclass(frozen=True, slots=True)
class ScreenReading:
    """What one screenshot showed: a scoreboard's stats and its other rows (``lobby``), a
    weapons list, or neither."""

    scoreboard: dict[str, Any] | None = None
    weapons: list[dict[str, Any]] = field(default_factory=list)
    is_weapons_screen: bool = False
    lobby: list[dict[str, Any]] = field(default_factory=list)


def read_screen(
    boxes: Sequence[TextBox], gamertags: Sequence[str] = (), reread: Reread | None = None
) -> ScreenReading:
    """`gamertags`: the player's linked names; their row is the one showing one of them, or
    the highlighted row when none does."""
    lines = lines_of(boxes)
    scoreboard = read_scoreboard(lines, gamertags, reread)
    if scoreboard is not None:
        return ScreenReading(scoreboard=scoreboard.stats, lobby=scoreboard.lobby)
    weapons = read_weapons(lines)
    if weapons is not None:
        return ScreenReading(weapons=weapons, is_weapons_screen=True)
    return ScreenReading()


def match_stats(readings: Sequence[ScreenReading]) -> dict[str, Any] | None:
    """The raw stats of the match these screenshots show, in the game model's raw shape;
    None without a scoreboard (a weapons screen alone is no match)."""
    scoreboard = next((r.scoreboard for r in readings if r.scoreboard is not None), None)
    if scoreboard is None:
        return None
    weapons = next((r.weapons for r in readings if r.is_weapons_screen), [])
    return {**scoreboard, "weapons": weapons}


def match_lobby(readings: Sequence[ScreenReading]) -> tuple[dict[str, Any], ...]:
    """The other rows of the scoreboard `match_stats` reads the match from."""
    scoreboard = next((r for r in readings if r.scoreboard is not None), None)
    return tuple(scoreboard.lobby) if scoreboard is not None else ()
