"""Problems with match stats as a player reads them: field names in words, not storage names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.core.i18n import N_, _

# Stored names a player would not recognise; marked for the catalog, translated where shown.
_FIELD_NAMES: Mapping[str, str] = {
    "team_score": N_("your team's score"),
    "enemy_score": N_("the enemy team's score"),
    "player.score": N_("your score"),
    "player.mode": N_("mode"),
    "player.objective_time_s": N_("hill time"),
    "player.device_carry_time_s": N_("device carry time"),
}
# Names that read as they are stored, in English; in the catalog for other languages.
_PLAIN_NAMES: Mapping[str, str] = {
    "mode": N_("mode"),
    "map": N_("map"),
    "result": N_("result"),
    "gamertag": N_("gamertag"),
    "kills": N_("kills"),
    "deaths": N_("deaths"),
    "assists": N_("assists"),
    "captures": N_("captures"),
    "plants": N_("plants"),
    "defuses": N_("defuses"),
    "overloads": N_("overloads"),
    "weapons": N_("weapons"),
    "name": N_("name"),
    "headshots": N_("headshots"),
    "accuracy": N_("accuracy"),
}
# A weapon row by index: "weapons[1]" as the validation writes it, "weapons.1" as a form does.
_WEAPON = re.compile(r"^weapons(?:\[(\d+)\]|\.(\d+))\.?")


def readable_field(path: str) -> str:
    """A problem's path as a player says it, in the interaction's language:
    "team_score" → "your team's score", "player.deaths" → "deaths",
    "weapons[1].kills" → "weapon 2 kills"."""
    if path in _FIELD_NAMES:
        return _(_FIELD_NAMES[path])
    weapon = _WEAPON.match(path)
    if weapon:
        number = int(weapon.group(1) or weapon.group(2)) + 1
        if weapon.end() < len(path):
            stat = readable_field(path[weapon.end() :])
            return _("weapon {number} {stat}", number=number, stat=stat)
        return _("weapon {number}", number=number)
    name = path.removeprefix("player.")
    known = _PLAIN_NAMES.get(name)
    return _(known) if known else name.replace("_", " ").replace(".", " ")


def readable_problem(line: str) -> str:
    """One problem line for a player: readable field name, capitalised, no closing period
    (the lines are listed, and a list item's own period would double up)."""
    path, separator, message = line.partition(": ")
    text = f"{readable_field(path)}: {message}" if separator else line
    return text[:1].upper() + text[1:].rstrip(". ")
