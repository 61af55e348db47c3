"""The match fields /ask may read, described for the planner and enforced by the guard.

Only fields that mean something to a player are listed. Everything else stored with a match
(channel and interaction ids, screenshot hashes, free-text notes, audit dates) is invisible to
a question: the guard refuses references to it, and the scoped pipeline projects it away
before the planner's first stage runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from app.core.game.modes import Mode, Result
from app.core.game.players import MAX_WEAPONS, NAME_MAX_LENGTH

_MODES = ", ".join(f'"{mode.value}"' for mode in Mode)
_RESULTS = ", ".join(f'"{result.value}"' for result in Result)

FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "played_at": "date and time the match was played (UTC)",
        "guild_id": "Discord server id (every match here is from the server that asks)",
        "user_id": "Discord user id of the player who logged the match",
        "stats.map": 'map name, e.g. "Den"',
        "stats.result": f"match result: {_RESULTS}",
        "stats.team_score": "final score of the player's team",
        "stats.enemy_score": "final score of the enemy team",
        "stats.player.mode": f"game mode: {_MODES}",
        "stats.player.gamertag": "the player's in-game name, when the scoreboard showed it",
        "stats.player.score": "the player's score",
        "stats.player.kills": "kills",
        "stats.player.deaths": "deaths (K/D is kills divided by deaths)",
        "stats.player.assists": "assists",
        "stats.player.objective_time_s": "Hardpoint only: seconds spent in the hill",
        "stats.player.captures": "Hardpoint only: hills captured",
        "stats.player.plants": "Search and Destroy only: bombs planted",
        "stats.player.defuses": "Search and Destroy only: bombs defused",
        "stats.player.overloads": "Overload only: overloads scored",
        "stats.player.device_carry_time_s": "Overload only: seconds carrying the device",
        "stats.weapons": "array of the weapons used in the match ($unwind it to group by weapon)",
        "stats.weapons.name": "weapon name",
        "stats.weapons.kills": "kills with the weapon",
        "stats.weapons.headshots": "headshot kills with the weapon",
        "stats.weapons.accuracy": "accuracy with the weapon, in percent (may be missing)",
    }
)

# Arrays are listed for $unwind but projected through their element fields, because MongoDB
# refuses a projection that names both a path and one of its sub-paths.
ARRAY_FIELDS = frozenset({"stats.weapons"})


def catalogue_projection() -> dict[str, int]:
    """A $project that keeps exactly the catalogued fields of a stored match."""
    return {"_id": 0, **{path: 1 for path in FIELDS if path not in ARRAY_FIELDS}}


# Upper bounds on the BSON size of what a stored match holds at each catalogued path, for the
# guard's size estimate. A name is at most NAME_MAX_LENGTH characters of up to 4 UTF-8 bytes;
# a BSON string adds its length and a terminating NUL; numbers and dates take 8 bytes.
_NAME = 5 + 4 * NAME_MAX_LENGTH
_WORD = 5 + max(len(value) for value in [*Mode, *Result])
_NUMBER = 8

FIELD_BYTES: Mapping[str, int] = MappingProxyType(
    {
        "played_at": _NUMBER,
        "guild_id": _NUMBER,
        "user_id": _NUMBER,
        "stats.map": _NAME,
        "stats.result": _WORD,
        "stats.team_score": _NUMBER,
        "stats.enemy_score": _NUMBER,
        "stats.player.mode": _WORD,
        "stats.player.gamertag": _NAME,
        **{
            f"stats.player.{count}": _NUMBER
            for count in [
                "score", "kills", "deaths", "assists", "objective_time_s", "captures",
                "plants", "defuses", "overloads", "device_carry_time_s",
            ]
        },
        "stats.weapons.name": _NAME,
        "stats.weapons.kills": _NUMBER,
        "stats.weapons.headshots": _NUMBER,
        "stats.weapons.accuracy": _NUMBER,
    }
)  # fmt: skip
# The catalogued arrays and their longest possible length.
ARRAY_LENGTHS: Mapping[str, int] = MappingProxyType({"stats.weapons": MAX_WEAPONS})
