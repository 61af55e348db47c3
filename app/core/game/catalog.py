"""The catalog of known maps, weapons and teams, and how match stats are checked against it.

The catalog comes from a data file, so new content is a data change, not a release. A name
the catalog does not know is kept (tidied) and flagged, never a reason to reject a match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import AliasChoices, Field, ValidationError
from pydantic_core import ErrorDetails

from app.core.game.errors import InvalidCatalog
from app.core.game.modes import MatchStats, WeaponStat
from app.core.game.names import loose_key, normalise_name, tidy_name
from app.core.game.players import DisplayName, FrozenModel
from app.core.game.problems import describe, format_path, problem_line
from app.core.game.rules import Mode


class CatalogKind(StrEnum):
    MAP = "map"
    WEAPON = "weapon"
    TEAM = "team"


class WeaponClass(StrEnum):
    ASSAULT_RIFLE = "assault_rifle"
    SMG = "smg"
    LMG = "lmg"
    SNIPER = "sniper"
    MARKSMAN = "marksman"
    SHOTGUN = "shotgun"
    PISTOL = "pistol"
    LAUNCHER = "launcher"
    MELEE = "melee"


class CatalogEntry(FrozenModel):
    """A canonical name and the other spellings that mean it."""

    name: DisplayName
    aliases: tuple[DisplayName, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class MapEntry(CatalogEntry):
    # The ranked modes the map is played in; empty for maps outside the ranked pool.
    modes: frozenset[Mode] = frozenset()

    @property
    def ranked(self) -> bool:
        return bool(self.modes)


class WeaponEntry(CatalogEntry):
    # "class" in the data file; a Python keyword, hence the longer attribute name.
    weapon_class: WeaponClass = Field(validation_alias=AliasChoices("class", "weapon_class"))


class TeamEntry(CatalogEntry):
    pass


@dataclass(frozen=True, slots=True)
class CatalogName:
    """A name as read, and the catalog's name for it when the catalog knows it."""

    raw: str
    canonical: str | None

    @property
    def known(self) -> bool:
        return self.canonical is not None

    @property
    def display(self) -> str:
        """The canonical name when known, otherwise the tidied raw name."""
        return self.canonical if self.canonical is not None else tidy_name(self.raw)


class CatalogFlagReason(StrEnum):
    UNKNOWN = "unknown"
    # A known map that Ranked Play does not use in this mode: a hint that the map or the
    # mode was misread, or that the match was not a ranked one.
    NOT_RANKED_IN_MODE = "not_ranked_in_mode"


class CatalogFlag(FrozenModel):
    """Something about a name worth a second look; it never rejects the match."""

    kind: CatalogKind
    raw: str
    reason: CatalogFlagReason


EntryT = TypeVar("EntryT", bound=CatalogEntry)


class _NameIndex(Generic[EntryT]):
    """Finds the entry a raw name means: exact key first, then a loose key only one entry has."""

    def __init__(self, kind: CatalogKind, entries: Sequence[EntryT]) -> None:
        self.entries = tuple(entries)
        self._exact = _exact_keys(kind, self.entries)
        self._loose = _unique_loose_keys(self.entries)

    def find(self, raw: str) -> EntryT | None:
        entry = self._exact.get(normalise_name(raw))
        if entry is None:
            entry = self._loose.get(loose_key(raw))
        return entry

    def resolve(self, raw: str) -> CatalogName:
        entry = self.find(raw)
        return CatalogName(raw=raw, canonical=None if entry is None else entry.name)


def _exact_keys(kind: CatalogKind, entries: Sequence[EntryT]) -> dict[str, EntryT]:
    """Every name and alias by its key; a key naming two entries is an error in the data."""
    index: dict[str, EntryT] = {}
    problems: list[str] = []
    for entry in entries:
        for name in entry.names:
            owner = index.setdefault(normalise_name(name), entry)
            if owner is not entry:
                problems.append(f"{kind}s: {name!r} names both {owner.name!r} and {entry.name!r}")
    if problems:
        raise InvalidCatalog(problems)
    return index


def _unique_loose_keys(entries: Sequence[EntryT]) -> dict[str, EntryT]:
    """Loose keys that only one entry has: matching a key two entries share would be a guess."""
    owners: dict[str, list[EntryT]] = {}
    for entry in entries:
        for key in {loose_key(name) for name in entry.names} - {""}:
            owners.setdefault(key, []).append(entry)
    return {key: found[0] for key, found in owners.items() if len(found) == 1}


class _CatalogData(FrozenModel):
    maps: tuple[MapEntry, ...] = ()
    weapons: tuple[WeaponEntry, ...] = ()
    teams: tuple[TeamEntry, ...] = ()


class Catalog:
    """Known maps, weapons and teams, each found by its name or any of its aliases."""

    def __init__(
        self,
        *,
        maps: Iterable[MapEntry] = (),
        weapons: Iterable[WeaponEntry] = (),
        teams: Iterable[TeamEntry] = (),
    ) -> None:
        self._maps = _NameIndex(CatalogKind.MAP, tuple(maps))
        self._weapons = _NameIndex(CatalogKind.WEAPON, tuple(weapons))
        self._teams = _NameIndex(CatalogKind.TEAM, tuple(teams))

    @classmethod
    def from_data(cls, data: Mapping[str, object], source: str | None = None) -> Catalog:
        """Build a catalog from plain data, e.g. a parsed TOML file.

        Raises `InvalidCatalog` listing every malformed entry by position and name.
        """
        try:
            parsed = _CatalogData.model_validate(data)
            return cls(maps=parsed.maps, weapons=parsed.weapons, teams=parsed.teams)
        except ValidationError as exc:
            problems = [_catalog_problem(error, data) for error in exc.errors()]
            raise InvalidCatalog(problems, source) from exc
        except InvalidCatalog as exc:
            raise InvalidCatalog(exc.problems, source) from exc

    @property
    def maps(self) -> tuple[MapEntry, ...]:
        return self._maps.entries

    @property
    def weapons(self) -> tuple[WeaponEntry, ...]:
        return self._weapons.entries

    @property
    def teams(self) -> tuple[TeamEntry, ...]:
        return self._teams.entries

    def find_map(self, raw: str) -> MapEntry | None:
        return self._maps.find(raw)

    def find_weapon(self, raw: str) -> WeaponEntry | None:
        return self._weapons.find(raw)

    def find_team(self, raw: str) -> TeamEntry | None:
        return self._teams.find(raw)

    def resolve_map(self, raw: str) -> CatalogName:
        return self._maps.resolve(raw)

    def resolve_weapon(self, raw: str) -> CatalogName:
        return self._weapons.resolve(raw)

    def resolve_team(self, raw: str) -> CatalogName:
        return self._teams.resolve(raw)


def _catalog_problem(error: ErrorDetails, data: Mapping[str, object]) -> str:
    loc = error["loc"]
    path = format_path(loc)
    if len(loc) >= 2 and isinstance(loc[1], int):
        entry_name = _entry_name(data, str(loc[0]), loc[1])
        if entry_name is not None:
            where = format_path(loc[:2])
            path = f"{where} ({entry_name!r}){path[len(where) :]}"
    return problem_line(path, describe(error))


def _entry_name(data: Mapping[str, object], section: str, index: int) -> str | None:
    entries = data.get(section)
    if not isinstance(entries, list | tuple) or index >= len(entries):
        return None
    entry = entries[index]
    name = entry.get("name") if isinstance(entry, Mapping) else None
    return name if isinstance(name, str) else None


def apply_catalog(stats: MatchStats, catalog: Catalog) -> tuple[MatchStats, list[CatalogFlag]]:
    """Replace known names by their canonical form; keep and flag the unknown ones."""
    map_name, flags = _checked_map(stats, catalog)
    weapons: list[WeaponStat] = []
    for weapon in stats.weapons:
        resolved = catalog.resolve_weapon(weapon.name)
        if not resolved.known:
            flags.append(_flag(CatalogKind.WEAPON, weapon.name, CatalogFlagReason.UNKNOWN))
        weapons.append(weapon.model_copy(update={"name": resolved.display}))
    updated = stats.model_copy(update={"map": map_name, "weapons": tuple(weapons)})
    return updated, list(dict.fromkeys(flags))


def _checked_map(stats: MatchStats, catalog: Catalog) -> tuple[str, list[CatalogFlag]]:
    entry = catalog.find_map(stats.map)
    if entry is None:
        return tidy_name(stats.map), [_flag(CatalogKind.MAP, stats.map, CatalogFlagReason.UNKNOWN)]
    if stats.mode not in entry.modes:
        return entry.name, [_flag(CatalogKind.MAP, stats.map, CatalogFlagReason.NOT_RANKED_IN_MODE)]
    return entry.name, []


def _flag(kind: CatalogKind, raw: str, reason: CatalogFlagReason) -> CatalogFlag:
    return CatalogFlag(kind=kind, raw=raw, reason=reason)
