"""Adding matches up: one match's numbers, a rollup entry's, and the sum of both kinds.

A stat's per-match value is computed here exactly as `stat_value` computes it on a match
(`app.core.game.metrics`), from the stored document: K/D counts the kills of a deathless
match; accuracy is the mean of the weapons that show one, and missing when none does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import bson
from bson.codec_options import CodecOptions

from app.core.analytics import PlayerSummary, StatAverage, StatBest
from app.core.game.metrics import Stat
from app.core.game.rules import Result

# What a rollup needs of a stored match.
MATCH_PROJECTION = {
    "user_id": 1,
    "guild_id": 1,
    "played_at": 1,
    "stats.result": 1,
    "stats.player": 1,
    "stats.weapons.accuracy": 1,
}
_RESULTS = tuple(result.value for result in Result)
_AWARE: CodecOptions[dict[str, Any]] = CodecOptions(tz_aware=True)


def packed(entry: Mapping[str, Any]) -> bson.Binary:
    """An entry as stored: BSON in a binary field. SecantusDB spends about half a microsecond
    on every element of every document it returns, and a server's month is some 1,200 entries
    of 35 numbers; as one binary each, it returns the month in a tenth of the time."""
    return bson.Binary(bson.encode(entry))


def unpacked(stored: bytes) -> dict[str, Any]:
    return bson.decode(stored, codec_options=_AWARE)


@dataclass(frozen=True, slots=True)
class Best:
    value: float
    played_at: datetime
    match_id: Any  # an ObjectId: the newest match wins a tie, as the listings order them

    def beats(self, other: Best | None, higher_is_better: bool) -> bool:
        if other is None:
            return True
        if self.value != other.value:
            return (self.value > other.value) is higher_is_better
        return (self.played_at, self.match_id) > (other.played_at, other.match_id)


@dataclass(slots=True)
class Totals:
    """Counts, sums and bests over some matches; entries and matches add up alike."""

    matches: int = 0
    results: dict[str, int] = field(default_factory=dict)
    kills: int = 0
    deaths: int = 0
    assists: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    shown: dict[str, int] = field(default_factory=dict)
    bests: dict[str, Best] = field(default_factory=dict)

    def add_match(self, raw: Mapping[str, Any], stats: Iterable[Stat]) -> None:
        player = raw["stats"]["player"]
        self.matches += 1
        result = raw["stats"]["result"]
        self.results[result] = self.results.get(result, 0) + 1
        self.kills += player["kills"]
        self.deaths += player["deaths"]
        self.assists += player["assists"]
        for stat in stats:
            value = stat_of(raw, stat)
            if value is None:
                continue
            self._add_value(stat.value, value, 1)
            self._offer_best(stat, Best(value, raw["played_at"], raw["_id"]))

    def add_entry(self, entry: Mapping[str, Any], stats: Iterable[Stat]) -> None:
        self.matches += entry["matches"]
        for result in _RESULTS:
            self.results[result] = self.results.get(result, 0) + entry.get(result, 0)
        self.kills += entry["kills"]
        self.deaths += entry["deaths"]
        self.assists += entry["assists"]
        bests = entry.get("bests", {})
        for stat in stats:
            shown = entry["shown"].get(stat.value, 0)
            if shown:
                self._add_value(stat.value, entry["sums"][stat.value], shown)
            best = bests.get(stat.value)
            if best is not None:
                self._offer_best(stat, Best(best["value"], best["played_at"], best["match_id"]))

    def entry(self, *, with_bests: bool) -> dict[str, Any]:
        """As stored in a rollup (bests only where a summary reads them)."""
        stored: dict[str, Any] = {
            "matches": self.matches,
            **self.results,
            "kills": self.kills,
            "deaths": self.deaths,
            "assists": self.assists,
            "sums": self.sums,
            "shown": self.shown,
        }
        if with_bests:
            stored["bests"] = {
                name: {"value": b.value, "played_at": b.played_at, "match_id": b.match_id}
                for name, b in self.bests.items()
            }
        return stored

    def average(self, stat: Stat) -> float | None:
        shown = self.shown.get(stat.value, 0)
        return self.sums[stat.value] / shown if shown else None

    def summary(self, stats: Iterable[Stat]) -> PlayerSummary:
        stats = tuple(stats)
        return PlayerSummary(
            matches=self.matches,
            wins=self.results.get(Result.WIN.value, 0),
            losses=self.results.get(Result.LOSS.value, 0),
            draws=self.results.get(Result.DRAW.value, 0),
            kills=self.kills,
            deaths=self.deaths,
            assists=self.assists,
            averages=tuple(
                StatAverage(stat=stat, value=value, matches=self.shown[stat.value])
                for stat in stats
                if (value := self.average(stat)) is not None
            ),
            bests=tuple(
                StatBest(
                    stat=stat,
                    value=best.value,
                    match_id=str(best.match_id),
                    played_at=best.played_at,
                )
                for stat in stats
                if (best := self.bests.get(stat.value)) is not None
            ),
        )

    def _add_value(self, name: str, value: float, count: int) -> None:
        self.sums[name] = self.sums.get(name, 0) + value
        self.shown[name] = self.shown.get(name, 0) + count

    def _offer_best(self, stat: Stat, candidate: Best) -> None:
        if candidate.beats(self.bests.get(stat.value), stat.higher_is_better):
            self.bests[stat.value] = candidate


def stat_of(raw: Mapping[str, Any], stat: Stat) -> float | None:
    """One stored match's value of a stat (None: the match does not show it)."""
    player = raw["stats"]["player"]
    if stat is Stat.KD:
        kills: int = player["kills"]
        deaths: int = player["deaths"]
        return kills / deaths if deaths > 0 else kills
    if stat is Stat.ACCURACY:
        weapons = raw["stats"].get("weapons", [])
        shown: list[float] = [a for w in weapons if (a := w.get("accuracy")) is not None]
        return sum(shown) / len(shown) if shown else None
    return None if (value := player.get(stat.value)) is None else float(value)
