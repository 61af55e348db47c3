"""A question the local planner understood: its shape and everything the shape needs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from app.core.ask.local.periods import Period
from app.core.ask.local.stats import Kind, StatSpec
from app.core.game.modes import Mode


class Shape(Enum):
    BEST_BY = "best or worst map or mode by a stat"
    TOTALS = "a total or an average over a period"
    LEADER = "who leads a stat"
    TREND = "the trend of a stat"
    HEAD_TO_HEAD = "two players head to head"
    RECORD = "record games"


class Aggregate(Enum):
    AVERAGE = "average"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Dimension:
    """What a best-or-worst question groups by; also the answer's column."""

    column: str


MAP = Dimension("map")
MODE = Dimension("mode")


@dataclass(frozen=True, slots=True)
class Question:
    shape: Shape
    stat: StatSpec
    aggregate: Aggregate
    period: Period
    # Whose matches, by user id: nobody named means every match the scope allows.
    players: tuple[int, ...]
    # Who asked, to say "your" for them; whether the scope shows them their own matches only.
    asker: int
    asker_only: bool = False
    # The first row is the highest value (else the lowest).
    descending: bool = True
    dimension: Dimension | None = None
    mode: Mode | None = None
    map_name: str | None = None
    # Whether the question named its stat ("my best game" did not; K/D was chosen for it).
    stat_named: bool = True

    @property
    def best_first(self) -> bool:
        """Whether the first row is the best one, as the player sees it."""
        return self.descending == self.stat.higher_is_better

    @property
    def averaged(self) -> bool:
        """Whether the stat's value is per match (an average, a ratio, a rate)."""
        if self.stat.kind in {Kind.KD, Kind.ACCURACY}:
            return True
        if self.stat.kind is Kind.MATCHES:
            return False
        return self.aggregate is Aggregate.AVERAGE

    @property
    def subject(self) -> int | None:
        """The one player the question is about, if it is about one."""
        if len(self.players) == 1:
            return self.players[0]
        if not self.players and self.asker_only:
            return self.asker
        return None
