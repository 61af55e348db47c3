"""Where two readings of the same screenshots disagree, field by field.

Both readings have been through the same validation and catalog, so only what the readers
really saw differently is a disagreement: "Den" and "den" name one map, and 1:52 and 112 are
one hill time. Each disagreement is kept with the match as a `ReaderFlag`, for a person to
check; the reading that was used stays as it is.

A flag names its field by path in the raw shape (``map``, ``player.kills``,
``weapons.Kogot-7.accuracy``), so a correction that covers a field, or anything above it
(``weapons``), settles the flags under it (`open_after_review`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Literal

from app.core.game.modes import MatchStats, WeaponStat
from app.core.game.names import normalise_name
from app.core.game.players import PLAYER_STATS_BY_MODE, FrozenModel, PlayerStatsBase
from app.core.game.rules import Mode

FlagValue = int | float | str

WEAPONS = "weapons"
_COMMON_PLAYER_STATS = ("score", "kills", "deaths", "assists")
_WEAPON_STATS = ("kills", "headshots", "accuracy")
# Accuracy is shown with one decimal: what rounds alike was read alike.
_ACCURACY_DECIMALS = 1


class ReaderFlag(FrozenModel):
    """Two readers read a field differently: `used` is what was saved, `other` the check's."""

    kind: Literal["reader_disagreement"] = "reader_disagreement"
    field: str
    used: FlagValue
    other: FlagValue


def disagreements(used: MatchStats, other: MatchStats) -> list[ReaderFlag]:
    """Every field the two readings disagree on, in the order a scoreboard shows them."""
    return [
        ReaderFlag(field=path, used=mine, other=theirs)
        for path, mine, theirs in _compared(used, other)
        if mine != theirs
    ]


def open_after_review(
    flags: Sequence[ReaderFlag], reviewed: Collection[str] | None
) -> list[ReaderFlag]:
    """The flags a correction leaves open: those on fields it did not cover.

    ``reviewed`` None: the correction gave every field (the API's), so none stays open.
    """
    if reviewed is None:
        return []
    return [flag for flag in flags if not any(p in reviewed for p in _ancestry(flag.field))]


def _compared(used: MatchStats, other: MatchStats) -> Iterator[tuple[str, FlagValue, FlagValue]]:
    yield "mode", used.mode.value, other.mode.value
    # A map the catalog does not know is kept as read: only its case may differ.
    yield "map", used.map, used.map if _same_name(used.map, other.map) else other.map
    yield "result", used.result.value, other.result.value
    yield "team_score", used.team_score, other.team_score
    yield "enemy_score", used.enemy_score, other.enemy_score
    for stat in _player_stats(used, other):
        yield f"player.{stat}", getattr(used.player, stat), getattr(other.player, stat)
    yield from _compared_weapons(used.weapons, other.weapons)


def _player_stats(used: MatchStats, other: MatchStats) -> tuple[str, ...]:
    # Objective stats only mean the same thing within one mode.
    if used.mode is not other.mode:
        return _COMMON_PLAYER_STATS
    return (*_COMMON_PLAYER_STATS, *objective_stats(used.mode))


def objective_stats(mode: Mode) -> tuple[str, ...]:
    """The player stats only this mode's scoreboard has, in the order it shows them."""
    common = {*PlayerStatsBase.model_fields, "mode"}
    return tuple(name for name in PLAYER_STATS_BY_MODE[mode].model_fields if name not in common)


def _compared_weapons(
    used: Sequence[WeaponStat], other: Sequence[WeaponStat]
) -> Iterator[tuple[str, FlagValue, FlagValue]]:
    theirs = {normalise_name(weapon.name): weapon for weapon in other}
    if {normalise_name(weapon.name) for weapon in used} != set(theirs):
        yield WEAPONS, _names(used), _names(other)
    for weapon in used:
        match = theirs.get(normalise_name(weapon.name))
        if match is None:
            continue
        for stat in _WEAPON_STATS:
            mine, read = _weapon_value(weapon, stat), _weapon_value(match, stat)
            # An accuracy one screen shows and the other does not is no disagreement.
            if mine is not None and read is not None:
                yield f"{WEAPONS}.{weapon.name}.{stat}", mine, read


def _names(weapons: Sequence[WeaponStat]) -> str:
    return ", ".join(weapon.name for weapon in weapons) or "none"


def _weapon_value(weapon: WeaponStat, stat: str) -> FlagValue | None:
    value: int | float | None = getattr(weapon, stat)
    if isinstance(value, float):
        return round(value, _ACCURACY_DECIMALS)
    return value


def _same_name(first: str, second: str) -> bool:
    return normalise_name(first) == normalise_name(second)


def _ancestry(path: str) -> Iterator[str]:
    """``weapons.Kogot-7.kills`` → ``weapons``, ``weapons.Kogot-7``, ``weapons.Kogot-7.kills``."""
    parts = path.split(".")
    for end in range(1, len(parts) + 1):
        yield ".".join(parts[:end])
