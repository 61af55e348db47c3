"""Ranked modes, match results, and the limits a real scoreboard of each mode can reach.

The limits exist to catch misreads (``1:23`` of hill time read as ``8300``, a 47 read where a
4 was printed), not to second-guess great games. Each bound is the most a player could
believably reach in that mode, with the reasoning next to it, and every bound of a mode lives
in that mode's single table below.

Ranked Play uses the Call of Duty League rules: 4v4, Hardpoint to 250, Search and Destroy to
6 rounds, Overload to 8 points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Mode(StrEnum):
    """A ranked mode; the value is the stored and wire name."""

    HARDPOINT = "hardpoint"
    SEARCH_AND_DESTROY = "search_and_destroy"
    OVERLOAD = "overload"

    @property
    def display_name(self) -> str:
        """The name players see in game, e.g. "Search and Destroy"."""
        return MODE_RULES[self].display_name

    @property
    def rules(self) -> ModeRules:
        return MODE_RULES[self]


class Result(StrEnum):
    """The outcome of a match for the player's team."""

    WIN = "win"
    LOSS = "loss"
    DRAW = "draw"


@dataclass(frozen=True, slots=True)
class ModeRules:
    """What a scoreboard of one mode can show."""

    display_name: str
    # The team score that ends the match: at most one team can reach it.
    score_limit: int
    # Whether a match can end level rather than go to overtime or another round.
    draws_possible: bool
    # The highest believable value of each player stat in one match.
    player_limits: Mapping[str, int]


# Hardpoint: first to 250; a team scores 1 point per second while it alone holds the hill,
# and the hill moves every minute. Matches rarely last past 10 minutes (the time limit of
# the time-limited playlists), so 10 minutes anchors the respawn-based bounds.
_HARDPOINT = ModeRules(
    display_name="Hardpoint",
    score_limit=250,
    # Playlists with a 10-minute time limit can end level; Ranked Play cannot, but a
    # level score from another playlist is real and harmless to accept.
    draws_possible=True,
    player_limits=MappingProxyType(
        {
            # Every kill, assist, hill second and capture below at its maximum at once, at
            # about 100 per kill, 50 per assist, 10 per hill second and 100 per capture, is
            # about 28,000.
            "score": 30_000,
            # Two kills every ten seconds for ten minutes: far above any real game.
            "kills": 120,
            # Each death costs the respawn delay plus the run back, about 5 s: 600 s / 5.
            "deaths": 120,
            # An assist is a kill a teammate finished, bounded like kills.
            "assists": 120,
            # Hill time counts contested seconds too, so it is bounded by the match length
            # rather than by the 250 points, and a player cannot stand in the hill longer
            # than ten minutes of play.
            "objective_time_s": 600,
            # About ten hills in ten minutes; even a hill traded back and forth is rarely
            # captured more than four times by the same player.
            "captures": 40,
        }
    ),
)

# Search and Destroy: 4v4, first to 6 rounds, so at most 11 rounds; one life per round; the
# teams swap attack and defence every round.
_SEARCH_AND_DESTROY = ModeRules(
    display_name="Search and Destroy",
    score_limit=6,
    # Every round has a winner (the defenders win when time runs out), so the match does too.
    draws_possible=False,
    player_limits=MappingProxyType(
        {
            # 44 kills at about 150 and 11 plants or defuses at about 300 is about 10,000;
            # half as much again covers round-win and clutch bonuses.
            "score": 15_000,
            # Each of the 4 enemies dies at most once per round: 4 x 11.
            "kills": 44,
            # One life per round.
            "deaths": 11,
            # Each enemy death is a kill or an assist for the player, never both: 4 x 11.
            "assists": 44,
            # Attacking every other round: rounds 1, 3, ..., 11 are at most 6 rounds.
            "plants": 6,
            # Defending every other round: at most 6 rounds as well.
            "defuses": 6,
        }
    ),
)

# Overload: one device that a team carries into an enemy zone to score a point; first to 8,
# two halves of 5 minutes, a level score goes to sudden death.
_OVERLOAD = ModeRules(
    display_name="Overload",
    score_limit=8,
    # A level score at the end of regulation goes to sudden death.
    draws_possible=False,
    player_limits=MappingProxyType(
        {
            # Same respawn pace and scoring scale as Hardpoint.
            "score": 30_000,
            "kills": 120,
            "deaths": 120,
            "assists": 120,
            # A player's deliveries are their team's points.
            "overloads": 8,
            # 600 s of regulation plus up to 300 s of sudden death; one carrier at a time.
            "device_carry_time_s": 900,
        }
    ),
)

MODE_RULES: Mapping[Mode, ModeRules] = MappingProxyType(
    {
        Mode.HARDPOINT: _HARDPOINT,
        Mode.SEARCH_AND_DESTROY: _SEARCH_AND_DESTROY,
        Mode.OVERLOAD: _OVERLOAD,
    }
)

# Search and Destroy is played 4v4 without respawns: the enemy deaths a player can take part
# in are capped by the rounds played.
SEARCH_AND_DESTROY_ENEMIES = 4
