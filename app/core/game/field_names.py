"""Problems with match stats as a player reads them: field names in words, not storage names."""

from __future__ import annotations

import re
from collections.abc import Mapping

# Stored names a player would not recognise; any other is read with its underscores as spaces.
_FIELD_NAMES: Mapping[str, str] = {
    "team_score": "your team's score",
    "enemy_score": "the enemy team's score",
    "player.score": "your score",
    "player.mode": "mode",
    "player.objective_time_s": "hill time",
    "player.device_carry_time_s": "device carry time",
}
# A weapon row by index: "weapons[1]" as the validation writes it, "weapons.1" as a form does.
_WEAPON = re.compile(r"^weapons(?:\[(\d+)\]|\.(\d+))\.?")


def readable_field(path: str) -> str:
    """A problem's path as a player says it: "team_score" → "your team's score",
    "player.deaths" → "deaths", "weapons[1].kills" → "weapon 2 kills"."""
    if path in _FIELD_NAMES:
        return _FIELD_NAMES[path]
    weapon = _WEAPON.match(path)
    if weapon:
        rest = readable_field(path[weapon.end() :]) if weapon.end() < len(path) else ""
        index = int(weapon.group(1) or weapon.group(2))
        return f"weapon {index + 1} {rest}".strip()
    return path.removeprefix("player.").replace("_", " ").replace(".", " ")


def readable_problem(line: str) -> str:
    """One problem line for a player: readable field name, capitalised, no closing period
    (the lines are listed, and a list item's own period would double up)."""
    path, separator, message = line.partition(": ")
    text = f"{readable_field(path)}: {message}" if separator else line
    return text[:1].upper() + text[1:].rstrip(". ")
