"""Valid raw matches to start tests from: each at the edge of nothing, so one change matters."""

from __future__ import annotations

import copy
from typing import Any

from app.core.game import Mode

_PLAYERS: dict[Mode, dict[str, Any]] = {
    Mode.HARDPOINT: {"objective_time_s": 95, "captures": 4},
    Mode.SEARCH_AND_DESTROY: {"plants": 0, "defuses": 0},
    Mode.OVERLOAD: {"overloads": 2, "device_carry_time_s": 140},
}
# Scores that leave room for every player stat at its own maximum: 11 rounds of Search and
# Destroy, and 8 Overload points.
_SCORES: dict[Mode, tuple[int, int]] = {
    Mode.HARDPOINT: (250, 201),
    Mode.SEARCH_AND_DESTROY: (6, 5),
    Mode.OVERLOAD: (8, 5),
}


def raw_match(mode: Mode = Mode.HARDPOINT, **player: Any) -> dict[str, Any]:
    """A valid raw match of ``mode`` won by the player's team; ``player`` overrides fields."""
    team, enemy = _SCORES[mode]
    return {
        "mode": mode.value,
        "map": "Den",
        "result": "win",
        "team_score": team,
        "enemy_score": enemy,
        "player": {
            "gamertag": "Ghost",
            "score": 4200,
            "kills": 11,
            "deaths": 7,
            "assists": 0,
            **copy.deepcopy(_PLAYERS[mode]),
            **player,
        },
        "weapons": [{"name": "M15 Mod 0", "kills": 9, "headshots": 2, "accuracy": 24.5}],
    }
