"""Matches with exactly the numbers a debriefing or analytics test cares about."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from app.core.game.rules import Mode
from app.core.matches import Match, MatchFields
from tests.support.factories import T0, match_fields

_SCORES = {
    Mode.HARDPOINT: {"win": (250, 201), "loss": (201, 250), "draw": (180, 180)},
    Mode.SEARCH_AND_DESTROY: {"win": (6, 4), "loss": (4, 6)},
    Mode.OVERLOAD: {"win": (8, 5), "loss": (5, 8)},
}
_OBJECTIVES: dict[Mode, dict[str, int]] = {
    Mode.HARDPOINT: {"objective_time_s": 80, "captures": 2},
    Mode.SEARCH_AND_DESTROY: {"plants": 1, "defuses": 0},
    Mode.OVERLOAD: {"overloads": 1, "device_carry_time_s": 70},
}
_ids = itertools.count(1)


def raw_stats(
    mode: Mode = Mode.HARDPOINT,
    *,
    result: str = "win",
    accuracy: Sequence[float | None] = (22.0,),
    map_name: str = "Den",
    **player: Any,
) -> dict[str, Any]:
    """Valid raw stats; one weapon per ``accuracy`` entry (no weapons if it is empty)."""
    team, enemy = _SCORES[mode][result]
    defaults = {"score": 5000, "kills": 20, "deaths": 16, "assists": 5}
    if mode is Mode.SEARCH_AND_DESTROY:
        defaults = {"score": 2800, "kills": 8, "deaths": 6, "assists": 2}
    return {
        "mode": mode.value,
        "map": map_name,
        "result": result,
        "team_score": team,
        "enemy_score": enemy,
        "player": {**defaults, **_OBJECTIVES[mode], **player},
        "weapons": [
            {"name": f"Weapon {i}", "kills": 0, "headshots": 0, "accuracy": value}
            for i, value in enumerate(accuracy)
        ],
    }


def fields(
    mode: Mode = Mode.HARDPOINT,
    *,
    played_at: datetime = T0,
    guild_id: int = 111,
    user_id: int = 333,
    **stats: Any,
) -> MatchFields:
    return match_fields(
        raw_stats=raw_stats(mode, **stats),
        played_at=played_at,
        guild_id=guild_id,
        user_id=user_id,
    )


def match(mode: Mode = Mode.HARDPOINT, *, hours_ago: float = 0, **stats: Any) -> Match:
    """A saved match ``hours_ago`` before T0, with a fresh id."""
    return match_from_raw(raw_stats(mode, **stats), hours_ago=hours_ago)


def match_from_raw(raw: dict[str, Any], *, hours_ago: float = 0) -> Match:
    saved = match_fields(raw_stats=raw, played_at=T0 - timedelta(hours=hours_ago))
    return Match(id=f"{next(_ids):024x}", **saved.model_dump())


def history(n: int, mode: Mode = Mode.HARDPOINT, **stats: Any) -> list[Match]:
    """``n`` identical previous matches, most recent first, an hour apart."""
    return [match(mode, hours_ago=i + 1, **stats) for i in range(n)]
