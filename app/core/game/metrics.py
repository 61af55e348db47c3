"""Named stats of a match: the choices of /trend and /leaderboard, and how to compute them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean
from types import MappingProxyType

from app.core.game.errors import StatNotInMode, UnknownStat
from app.core.game.modes import MatchStats
from app.core.game.players import WeaponStat
from app.core.game.rules import Mode


class Stat(StrEnum):
    """A stat that can be charted or ranked; the value is its stored or wire name."""

    KD = "kd"
    SCORE = "score"
    KILLS = "kills"
    DEATHS = "deaths"
    ASSISTS = "assists"
    ACCURACY = "accuracy"
    OBJECTIVE_TIME = "objective_time_s"
    CAPTURES = "captures"
    PLANTS = "plants"
    DEFUSES = "defuses"
    OVERLOADS = "overloads"
    DEVICE_CARRY_TIME = "device_carry_time_s"

    @property
    def label(self) -> str:
        """The name shown to users, e.g. "K/D"."""
        return _DEFINITIONS[self].label

    @property
    def higher_is_better(self) -> bool:
        """How a leaderboard sorts it: deaths are the one stat where less is better."""
        return _DEFINITIONS[self].higher_is_better

    @property
    def mode(self) -> Mode | None:
        """The only mode that has this stat, or None when every mode has it."""
        return _DEFINITIONS[self].mode


@dataclass(frozen=True, slots=True)
class _Definition:
    label: str
    higher_is_better: bool = True
    mode: Mode | None = None


_DEFINITIONS: Mapping[Stat, _Definition] = MappingProxyType(
    {
        Stat.KD: _Definition("K/D"),
        Stat.SCORE: _Definition("Score"),
        Stat.KILLS: _Definition("Kills"),
        Stat.DEATHS: _Definition("Deaths", higher_is_better=False),
        Stat.ASSISTS: _Definition("Assists"),
        Stat.ACCURACY: _Definition("Accuracy"),
        Stat.OBJECTIVE_TIME: _Definition("Hill time", mode=Mode.HARDPOINT),
        Stat.CAPTURES: _Definition("Captures", mode=Mode.HARDPOINT),
        Stat.PLANTS: _Definition("Plants", mode=Mode.SEARCH_AND_DESTROY),
        Stat.DEFUSES: _Definition("Defuses", mode=Mode.SEARCH_AND_DESTROY),
        Stat.OVERLOADS: _Definition("Overloads", mode=Mode.OVERLOAD),
        Stat.DEVICE_CARRY_TIME: _Definition("Device carry time", mode=Mode.OVERLOAD),
    }
)


def stats_for_mode(mode: Mode | None = None) -> tuple[Stat, ...]:
    """The stats a match of ``mode`` has; with no mode, the ones every mode has."""
    return tuple(stat for stat in Stat if stat.mode is None or stat.mode == mode)


def check_stat_in_mode(stat: Stat, mode: Mode | None) -> None:
    """Refuse a mode-only stat with another mode (`StatNotInMode`): defuses in Hardpoint."""
    if stat.mode is not None and mode is not None and mode is not stat.mode:
        valid = stats_for_mode(mode)
        raise StatNotInMode(stat.value, stat.label, stat.mode.display_name, valid)


def kd_ratio(kills: int, deaths: int) -> float:
    """Kills per death; a deathless match counts its kills, as the game's own K/D does."""
    return kills / deaths if deaths else float(kills)


def mean_accuracy(weapons: Sequence[WeaponStat]) -> float | None:
    """Mean accuracy of the weapons that show one, or None when none does."""
    shown = [weapon.accuracy for weapon in weapons if weapon.accuracy is not None]
    return fmean(shown) if shown else None


def stat_value(stats: MatchStats, name: str) -> float | None:
    """The value of the stat called ``name`` in ``stats``; None only for missing accuracy.

    Raises `UnknownStat` when the stat does not exist in the match's mode.
    """
    valid = stats_for_mode(stats.mode)
    if name not in valid:
        raise UnknownStat(name, valid)
    stat = Stat(name)
    if stat is Stat.KD:
        return kd_ratio(stats.player.kills, stats.player.deaths)
    if stat is Stat.ACCURACY:
        return mean_accuracy(stats.weapons)
    value: int = getattr(stats.player, stat.value)
    return float(value)
