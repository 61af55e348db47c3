"""The sample matches the screenshots are drawn from.

Every number is chosen to be internally consistent (one team's kills are the other's
deaths, S&D deaths never exceed the rounds played, Overload team scores are the sum of
the team's overloads) so tests that check plausibility bounds pass on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Mode = Literal["hardpoint", "search_and_destroy", "overload"]
Result = Literal["win", "loss", "draw"]

YOU = "NightOwl_77"


@dataclass(frozen=True)
class PlayerLine:
    """One scoreboard row; ``mode_stats`` holds the mode's two objective columns."""

    gamertag: str
    score: int
    kills: int
    deaths: int
    assists: int
    mode_stats: Mapping[str, int]

    def as_stats(self) -> dict[str, Any]:
        return {
            "gamertag": self.gamertag,
            "score": self.score,
            "kills": self.kills,
            "deaths": self.deaths,
            "assists": self.assists,
            **self.mode_stats,
        }


@dataclass(frozen=True)
class WeaponLine:
    name: str
    kills: int
    headshots: int
    accuracy: float

    def as_stats(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kills": self.kills,
            "headshots": self.headshots,
            "accuracy": self.accuracy,
        }


@dataclass(frozen=True)
class SampleMatch:
    """A match as its screenshots show it; ``weapons`` empty means no weapons screenshot."""

    slug: str
    mode: Mode
    map: str
    result: Result
    team_score: int
    enemy_score: int
    allies: tuple[PlayerLine, ...]
    enemies: tuple[PlayerLine, ...]
    weapons: tuple[WeaponLine, ...] = ()

    @property
    def you(self) -> PlayerLine:
        return next(player for player in self.allies if player.gamertag == YOU)

    def stats(self, *, with_weapons: bool) -> dict[str, Any]:
        """What Gemini should read: the stat shape the game model uses."""
        return {
            "mode": self.mode,
            "map": self.map,
            "result": self.result,
            "team_score": self.team_score,
            "enemy_score": self.enemy_score,
            "player": self.you.as_stats(),
            "weapons": [w.as_stats() for w in self.weapons] if with_weapons else [],
        }

    def lobby(self, you: str = YOU) -> list[dict[str, Any]]:
        """Every other row, in the order shown, with its team as ``you`` sees it: what a
        reader returns in ``Extraction.lobby``."""
        return [
            {**line.as_stats(), "team": team}
            for team, lines in (("ally", self.allies), ("enemy", self.enemies))
            for line in lines
            if line.gamertag != you
        ]


def _hp(tag: str, score: int, k: int, d: int, a: int, time_s: int, caps: int) -> PlayerLine:
    return PlayerLine(tag, score, k, d, a, {"objective_time_s": time_s, "captures": caps})


def _snd(tag: str, score: int, k: int, d: int, a: int, plants: int, defuses: int) -> PlayerLine:
    return PlayerLine(tag, score, k, d, a, {"plants": plants, "defuses": defuses})


def _ovl(tag: str, score: int, k: int, d: int, a: int, goals: int, carry_s: int) -> PlayerLine:
    return PlayerLine(tag, score, k, d, a, {"overloads": goals, "device_carry_time_s": carry_s})


HARDPOINT_DEN = SampleMatch(
    slug="hardpoint_den",
    mode="hardpoint",
    map="Den",
    result="win",
    team_score=250,
    enemy_score=187,
    allies=(
        _hp(YOU, 7350, 31, 22, 9, 112, 4),
        _hp("Vexx_TTV", 6820, 27, 24, 11, 95, 3),
        _hp("dr1ftwood", 5400, 22, 25, 7, 64, 2),
        _hp("Kaizen_OG", 5010, 19, 23, 12, 131, 5),
    ),
    enemies=(
        _hp("Phantom_Rx", 6900, 29, 24, 6, 78, 3),
        _hp("LowKeyLobo", 5600, 24, 25, 8, 60, 2),
        _hp("StaticHaze", 4950, 21, 26, 5, 55, 2),
        _hp("mono_kuma", 4400, 20, 24, 10, 40, 1),
    ),
    weapons=(
        WeaponLine("Kogot-7", 18, 5, 24.6),
        WeaponLine("Dravec 45", 9, 2, 21.3),
        WeaponLine("Ryden 45K", 2, 1, 18.0),
    ),
)

# The weapons screenshot of this match lists "Varga R7", a name no catalog knows, so
# the app's flagging of unknown content has something to flag.
SEARCH_AND_DESTROY_EXPOSURE = SampleMatch(
    slug="search_and_destroy_exposure",
    mode="search_and_destroy",
    map="Exposure",
    result="loss",
    team_score=4,
    enemy_score=6,
    allies=(
        _snd(YOU, 2350, 9, 7, 3, 2, 0),
        _snd("Vexx_TTV", 1900, 8, 8, 2, 1, 0),
        _snd("Kaizen_OG", 1450, 5, 9, 4, 0, 1),
        _snd("dr1ftwood", 1200, 4, 9, 1, 1, 0),
    ),
    enemies=(
        _snd("Phantom_Rx", 2800, 11, 6, 2, 1, 1),
        _snd("Ashen_Vow", 2250, 9, 6, 3, 2, 0),
        _snd("LowKeyLobo", 1700, 7, 7, 2, 0, 1),
        _snd("StaticHaze", 1500, 6, 7, 4, 1, 0),
    ),
    weapons=(
        WeaponLine("Sokol 545", 5, 2, 27.5),
        WeaponLine("VS Recon", 3, 3, 41.2),
        WeaponLine("Varga R7", 1, 0, 14.3),
    ),
)

OVERLOAD_SCAR = SampleMatch(
    slug="overload_scar",
    mode="overload",
    map="Scar",
    result="win",
    team_score=6,
    enemy_score=4,
    allies=(
        _ovl(YOU, 5200, 24, 18, 8, 3, 141),
        _ovl("Kaizen_OG", 4600, 20, 19, 10, 1, 96),
        _ovl("Vexx_TTV", 4100, 22, 21, 5, 2, 58),
        _ovl("dr1ftwood", 2900, 14, 20, 9, 0, 37),
    ),
    enemies=(
        _ovl("Phantom_Rx", 4800, 25, 20, 7, 2, 110),
        _ovl("mono_kuma", 3900, 19, 19, 9, 1, 72),
        _ovl("Ashen_Vow", 3700, 18, 21, 6, 1, 64),
        _ovl("StaticHaze", 3000, 16, 20, 8, 0, 29),
    ),
)

SAMPLE_MATCHES: tuple[SampleMatch, ...] = (
    HARDPOINT_DEN,
    SEARCH_AND_DESTROY_EXPOSURE,
    OVERLOAD_SCAR,
)
