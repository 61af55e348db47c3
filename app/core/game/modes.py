"""Validated stats of one match, read from a screenshot or typed in by hand.

The raw (wire) shape, used by the AI extraction and the manual form alike::

    {"mode": "hardpoint", "map": "Den", "result": "win", "team_score": 250,
     "enemy_score": 201,
     "player": {"gamertag": "Ghost", "score": 6100, "kills": 31, "deaths": 22,
                "assists": 9, "objective_time_s": 95, "captures": 4},
     "weapons": [{"name": "M15 Mod 0", "kills": 27, "headshots": 6, "accuracy": 23.5}]}

``mode`` sits at the top level of the raw shape; inside the model it is the discriminator of
``player``, and `MatchStats.mode` exposes it again at the top (also in dumps, so a stored
match can be filtered on it and validated back unchanged).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, computed_field, model_validator

from app.core.game.consistency import (
    player_problems,
    result_problems,
    score_limit_problems,
    weapon_problems,
)
from app.core.game.errors import InconsistentFields
from app.core.game.players import (
    MAX_WEAPONS,
    Count,
    DisplayName,
    FrozenModel,
    HardpointStats,
    OverloadStats,
    PlayerStats,
    SearchAndDestroyStats,
    WeaponStat,
)
from app.core.game.rules import Mode, Result

__all__ = [
    "HardpointStats",
    "MatchStats",
    "Mode",
    "OverloadStats",
    "PlayerStats",
    "Result",
    "SearchAndDestroyStats",
    "WeaponStat",
]


class MatchStats(FrozenModel):
    """Stats of one match from one player's point of view."""

    map: DisplayName
    result: Result
    team_score: Count
    enemy_score: Count
    player: PlayerStats
    weapons: tuple[WeaponStat, ...] = Field(default=(), max_length=MAX_WEAPONS)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def mode(self) -> Mode:
        return self.player.mode

    @model_validator(mode="before")
    @classmethod
    def _mode_into_player(cls, data: Any) -> Any:
        # The raw shape carries the mode at the top; the union needs it inside the player.
        if not isinstance(data, Mapping) or "mode" not in data:
            return data
        fields = dict(data)
        mode = fields.pop("mode")
        player = fields.get("player")
        if isinstance(player, Mapping):
            player_mode = player.get("mode", mode)
            fields["player"] = {**player, "mode": mode}
        else:
            player_mode = getattr(player, "mode", mode)
        if player_mode != mode:
            raise InconsistentFields(
                [("player.mode", f"{player_mode!r} contradicts the match mode {mode!r}")]
            )
        return fields

    @model_validator(mode="after")
    def _fields_agree(self) -> MatchStats:
        rules = self.mode.rules
        problems = score_limit_problems(rules, self.team_score, self.enemy_score)
        if not problems:
            # Player limits that depend on the score only make sense once the score does.
            problems = [
                *result_problems(rules, self.result, self.team_score, self.enemy_score),
                *player_problems(self.player, self.team_score, self.enemy_score),
            ]
        problems += weapon_problems(self.weapons, self.player.kills)
        if problems:
            raise InconsistentFields(problems)
        return self

    def to_raw(self) -> dict[str, Any]:
        """The raw shape: ``mode`` at the top, ``player`` without it, JSON-compatible."""
        raw = self.model_dump(mode="json")
        del raw["player"]["mode"]
        return {"mode": raw.pop("mode"), **raw}
