"""The correction form of a match: its fields from a match, and a posted form back into the
body the API's PATCH takes (`MatchCorrection`), checked by the same model and command.

Names follow the raw shape, dotted: `player.kills`, `weapons.0.name`; so do the field
problems that come back, so each is shown next to its input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.game.players import MAX_WEAPONS, PLAYER_STATS_BY_MODE, PlayerStatsBase
from app.core.game.rules import Mode
from app.core.matches import Match

PLAYER_LINE = ("gamertag", "score", "kills", "deaths", "assists")
SCORES = ("team_score", "enemy_score")
WEAPON_FIELDS = ("name", "kills", "headshots", "accuracy")
# Empty rows under a match's weapons, to add one it missed.
SPARE_WEAPON_ROWS = 2


def objective_fields(mode: Mode) -> tuple[str, ...]:
    """The objective stats one mode's scoreboard shows, e.g. plants and defuses."""
    own = PLAYER_STATS_BY_MODE[mode].model_fields
    shared = PlayerStatsBase.model_fields
    return tuple(name for name in own if name not in shared and name != "mode")


@dataclass(frozen=True, slots=True)
class ObjectiveGroup:
    mode: Mode
    fields: tuple[str, ...]


def objective_groups() -> tuple[ObjectiveGroup, ...]:
    return tuple(ObjectiveGroup(mode, objective_fields(mode)) for mode in Mode)


def form_values(match: Match) -> dict[str, str]:
    """The form, filled in with the match as it is stored."""
    raw = match.stats.to_raw()
    values = {name: _text(raw[name]) for name in ("mode", "map", "result", *SCORES)}
    values.update({f"player.{name}": _text(value) for name, value in raw["player"].items()})
    for index, weapon in enumerate(raw["weapons"]):
        values.update({f"weapons.{index}.{k}": _text(v) for k, v in weapon.items()})
    return values


def weapon_rows(values: Mapping[str, str]) -> range:
    """Rows for the weapons in `values` and a couple of spare ones, at most MAX_WEAPONS."""
    filled = sum(1 for index in range(MAX_WEAPONS) if values.get(f"weapons.{index}.name"))
    return range(min(MAX_WEAPONS, filled + SPARE_WEAPON_ROWS))


def raw_correction(form: Mapping[str, str]) -> dict[str, Any]:
    """The posted form in `MatchCorrection`'s shape: numbers read as numbers, blanks left out,
    and only the objective stats of the chosen mode (the others' inputs are for other modes).
    """
    mode = form.get("mode", "")
    raw: dict[str, Any] = {"mode": mode, "map": form.get("map", ""), "result": form.get("result")}
    raw.update({name: _number(form.get(name, "")) for name in SCORES})
    objectives = objective_fields(Mode(mode)) if mode in set(Mode) else ()
    player = {name: _number(form.get(f"player.{name}", "")) for name in PLAYER_LINE}
    player["gamertag"] = form.get("player.gamertag", "").strip() or None
    player.update({name: _number(form.get(f"player.{name}", "")) for name in objectives})
    raw["player"] = {name: value for name, value in player.items() if value is not None}
    weapons = (_weapon(form, index) for index in range(MAX_WEAPONS))
    raw["weapons"] = [weapon for weapon in weapons if weapon is not None]
    return raw


def _weapon(form: Mapping[str, str], index: int) -> dict[str, Any] | None:
    name = form.get(f"weapons.{index}.name", "").strip()
    if not name:
        return None
    weapon: dict[str, Any] = {"name": name}
    for field in WEAPON_FIELDS[1:]:
        value = _number(form.get(f"weapons.{index}.{field}", ""), decimal=field == "accuracy")
        if value is not None:
            weapon[field] = value
    return weapon


def _number(text: str, *, decimal: bool = False) -> Any:
    """An int (or a float for a percentage); a blank is None; anything else stays text, for
    the model to refuse with the field's name."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text) if decimal else int(text)
    except ValueError:
        return text


def _text(value: object) -> str:
    return "" if value is None else str(value)
