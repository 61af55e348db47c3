"""The stats the local planner knows, the words that name them, and how one match gives each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Any

from app.core.ask.local.words import table_of
from app.core.game.modes import Mode


class Kind(Enum):
    """How a stat adds up over several matches."""

    COUNT = "count"  # a number per match: a total and an average
    KD = "kd"  # total kills over total deaths (one death at least), as /trend pools it
    ACCURACY = "accuracy"  # the mean of each match's mean weapon accuracy
    WINS = "wins"  # a count of wins, and the share of matches won
    MATCHES = "matches"  # how many matches


@dataclass(frozen=True, slots=True)
class StatSpec:
    key: str
    # As a sentence says it: "kills", "K/D".
    label: str
    kind: Kind
    # The catalogued field of a COUNT stat.
    field: str | None = None
    # The only mode that has it; a question about it looks at that mode's matches.
    mode: Mode | None = None
    higher_is_better: bool = True
    seconds: bool = False


def _count(key: str, label: str, mode: Mode | None = None, **extra: Any) -> StatSpec:
    return StatSpec(key, label, Kind.COUNT, f"$stats.player.{key}", mode, **extra)


KD = StatSpec("kd", "K/D", Kind.KD)
KILLS = _count("kills", "kills")
DEATHS = _count("deaths", "deaths", higher_is_better=False)
ASSISTS = _count("assists", "assists")
SCORE = _count("score", "score")
ACCURACY = StatSpec("accuracy", "accuracy", Kind.ACCURACY)
WINS = StatSpec("wins", "wins", Kind.WINS)
MATCHES = StatSpec("matches", "matches", Kind.MATCHES)
HILL_TIME = _count("objective_time_s", "hill time", Mode.HARDPOINT, seconds=True)
CAPTURES = _count("captures", "captures", Mode.HARDPOINT)
PLANTS = _count("plants", "plants", Mode.SEARCH_AND_DESTROY)
DEFUSES = _count("defuses", "defuses", Mode.SEARCH_AND_DESTROY)
OVERLOADS = _count("overloads", "overloads", Mode.OVERLOAD)
CARRY_TIME = _count("device_carry_time_s", "device carry time", Mode.OVERLOAD, seconds=True)

# "win rate" is WINS averaged; the parser reads these words as WINS and an average.
WIN_RATE_WORDS = table_of(
    {
        True: (
            "win rate", "winrate", "win percentage", "win percent", "win ratio", "wl",
            "wl ratio", "win loss", "win loss ratio", "percent of matches", "percent of games",
        )
    }
)  # fmt: skip

STAT_WORDS: Mapping[tuple[str, ...], StatSpec] = MappingProxyType(
    table_of(
        {
            KD: (
                "kd", "kdr", "kd ratio", "kill death", "kill death ratio", "kills deaths",
                "kills per death", "k d", "kills to deaths", "kd ratios",
            ),
            KILLS: ("kills", "kill", "frags", "elims", "eliminations", "killed"),
            DEATHS: ("deaths", "death", "died", "die", "dies", "dying"),
            ASSISTS: ("assists", "assist"),
            SCORE: ("score", "scores", "points"),
            ACCURACY: ("accuracy", "acc", "aim", "shooting"),
            WINS: ("wins", "win", "won", "victories", "victory", "winning"),
            MATCHES: ("matches", "games", "played", "play"),
            HILL_TIME: (
                "objective time", "obj time", "hill time", "time on hill", "time on the hill",
                "time in the hill", "time in hill", "hardpoint time", "objective",
            ),
            CAPTURES: ("captures", "capture", "caps", "hill captures"),
            PLANTS: ("plants", "plant", "bomb plants"),
            DEFUSES: ("defuses", "defuse", "bomb defuses"),
            OVERLOADS: ("overloads",),
            CARRY_TIME: (
                "carry time", "device time", "device carry time", "device carry",
                "carrying time",
            ),
        }
    )
)  # fmt: skip

# What players ask about that the local planner has no stat for: a question naming one is
# none of its shapes, rather than answered about another stat.
UNKNOWN_STAT_WORDS = frozenset(
    {
        "headshot", "headshots", "streak", "streaks", "killstreak", "killstreaks",
        "scorestreak", "scorestreaks", "medal", "medals", "damage", "xp", "level", "prestige",
        "spm", "multikill", "multikills", "longshot", "longshots", "grenade", "grenades",
        "melee", "knife", "weapon", "weapons", "gun", "guns", "loadout", "loadouts",
        "operator", "operators", "revive", "revives", "spawns",
    }
)  # fmt: skip

# The stats a question may name, listed for the help message.
NAMED = (KILLS, DEATHS, KD, ASSISTS, SCORE, ACCURACY, WINS, MATCHES, HILL_TIME, CAPTURES)
MORE = (PLANTS, DEFUSES, OVERLOADS, CARRY_TIME)


def per_match_value(stat: StatSpec) -> Any:
    """The stat of one stored match as an expression (accuracy needs its weapons unwound)."""
    if stat.kind is Kind.KD:
        return {"$divide": ["$stats.player.kills", {"$max": ["$stats.player.deaths", 1]}]}
    if stat.kind is Kind.WINS:
        return {"$cond": [{"$eq": ["$stats.result", "win"]}, 1, 0]}
    if stat.field is None:
        raise ValueError(f"{stat.key} has no single field")
    return stat.field
