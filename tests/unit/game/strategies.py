"""Hypothesis strategies for raw matches that obey every rule of their mode."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from app.core.game import MODE_RULES, Mode, Result
from app.core.game.rules import SEARCH_AND_DESTROY_ENEMIES


def upto(high: int) -> st.SearchStrategy[int]:
    """0 to ``high``, with ``high`` itself drawn often: the edges are where rules break."""
    return st.just(high) | st.integers(0, high)


names = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 .'-]{0,30}[A-Za-z0-9]", fullmatch=True)


@st.composite
def scores(draw: st.DrawFn, mode: Mode) -> tuple[str, int, int]:
    """A result and the team and enemy scores that agree with it."""
    rules = MODE_RULES[mode]
    results = [Result.WIN, Result.LOSS] + ([Result.DRAW] if rules.draws_possible else [])
    result = draw(st.sampled_from(results))
    if result is Result.DRAW:
        level = draw(upto(rules.score_limit - 1))
        return result.value, level, level
    winner = draw(st.integers(1, rules.score_limit))
    loser = draw(upto(winner - 1))
    team, enemy = (winner, loser) if result is Result.WIN else (loser, winner)
    return result.value, team, enemy


@st.composite
def players(draw: st.DrawFn, mode: Mode, team: int, enemy: int) -> dict[str, Any]:
    """A player line within every bound, including those that depend on the score."""
    stats: dict[str, Any] = {"gamertag": draw(st.none() | names)}
    if mode is Mode.SEARCH_AND_DESTROY:
        stats |= draw(_search_and_destroy_stats(team + enemy))
    else:
        stats |= {stat: draw(upto(limit)) for stat, limit in _limits(mode).items()}
    if mode is Mode.OVERLOAD:
        stats["overloads"] = draw(upto(min(_limits(mode)["overloads"], team)))
    return stats


@st.composite
def _search_and_destroy_stats(draw: st.DrawFn, rounds: int) -> dict[str, int]:
    # One life per round; each enemy death is at most one kill or assist; one plant or
    # defuse per round.
    limits = _limits(Mode.SEARCH_AND_DESTROY)
    enemy_deaths = SEARCH_AND_DESTROY_ENEMIES * rounds
    kills = draw(upto(min(limits["kills"], enemy_deaths)))
    plants = draw(upto(min(limits["plants"], rounds)))
    return {
        "score": draw(upto(limits["score"])),
        "kills": kills,
        "deaths": draw(upto(min(limits["deaths"], rounds))),
        "assists": draw(upto(min(limits["assists"], enemy_deaths - kills))),
        "plants": plants,
        "defuses": draw(upto(min(limits["defuses"], rounds - plants))),
    }


def _limits(mode: Mode) -> Mapping[str, int]:
    return MODE_RULES[mode].player_limits


@st.composite
def weapons(draw: st.DrawFn, kill_budget: int) -> list[dict[str, Any]]:
    """Up to ten weapons whose kills add up to at most ``kill_budget``."""
    lines = []
    for _ in range(draw(upto(10))):
        kills = draw(upto(kill_budget))
        kill_budget -= kills
        accuracy = st.floats(0, 100, allow_nan=False, allow_infinity=False)
        lines.append(
            {
                "name": draw(names),
                "kills": kills,
                "headshots": draw(upto(kills)),
                "accuracy": draw(st.none() | accuracy),
            }
        )
    return lines


@st.composite
def raw_matches(draw: st.DrawFn, mode: Mode | None = None) -> dict[str, Any]:
    """A raw match, in the extraction's shape, that obeys every rule of its mode."""
    mode = mode or draw(st.sampled_from(Mode))
    result, team, enemy = draw(scores(mode))
    player = draw(players(mode, team, enemy))
    return {
        "mode": mode.value,
        "map": draw(names),
        "result": result,
        "team_score": team,
        "enemy_score": enemy,
        "player": player,
        "weapons": draw(weapons(player["kills"])),
    }
