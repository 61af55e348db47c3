"""Rules that relate fields to each other: scores to the result, player stats to the scores.

Each check returns ``(field path, message)`` pairs so every problem of a match is reported at
once. Two things are deliberately *not* required: that the winner reached the score limit
(time limits and forfeits end matches early) and that weapon names are known (the catalog
flags those; it never rejects a match).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.game.players import (
    HardpointStats,
    OverloadStats,
    SearchAndDestroyStats,
    WeaponStat,
)
from app.core.game.rules import SEARCH_AND_DESTROY_ENEMIES, ModeRules, Result
from app.core.wording import counted

Problem = tuple[str, str]


def score_limit_problems(rules: ModeRules, team: int, enemy: int) -> list[Problem]:
    """Both scores within the limit, and not both at it: reaching the limit ends the match."""
    problems = [
        (field, f"{value} is more than possible in {rules.display_name} (max {rules.score_limit})")
        for field, value in (("team_score", team), ("enemy_score", enemy))
        if value > rules.score_limit
    ]
    if not problems and team == enemy == rules.score_limit:
        problems.append(
            ("enemy_score", f"both teams cannot reach the score limit ({rules.score_limit})")
        )
    return problems


def result_problems(rules: ModeRules, result: Result, team: int, enemy: int) -> list[Problem]:
    """The result follows from the scores: the higher score wins, a level score is a draw."""
    if result is Result.DRAW and not rules.draws_possible:
        return [("result", f"a draw is not possible in {rules.display_name}")]
    expected = Result.WIN if team > enemy else Result.LOSS if team < enemy else Result.DRAW
    if result is expected:
        return []
    return [("result", f"{result.value} does not match the score {team}-{enemy}")]


def search_and_destroy_problems(
    player: SearchAndDestroyStats, team: int, enemy: int
) -> list[Problem]:
    """One life per round and four enemies per round cap what a player can do."""
    rounds = team + enemy
    enemy_deaths = SEARCH_AND_DESTROY_ENEMIES * rounds
    problems: list[Problem] = []
    if player.deaths > rounds:
        problems.append(
            (
                "player.deaths",
                f"{counted(player.deaths, 'death')} in {counted(rounds, 'round')} "
                "(one life per round)",
            )
        )
    if player.kills + player.assists > enemy_deaths:
        problems.append(
            (
                "player.kills",
                f"kills plus assists ({player.kills + player.assists}) exceed the "
                f"{enemy_deaths} enemy deaths possible in {rounds} rounds",
            )
        )
    if player.plants + player.defuses > rounds:
        problems.append(
            (
                "player.plants",
                f"plants plus defuses ({player.plants + player.defuses}) exceed the "
                f"{rounds} rounds played",
            )
        )
    return problems


def overload_problems(player: OverloadStats, team: int) -> list[Problem]:
    """A player's overloads are points for their team."""
    if player.overloads > team:
        return [
            (
                "player.overloads",
                f"{counted(player.overloads, 'overload')} but the team scored {team}",
            )
        ]
    return []


def player_problems(
    player: HardpointStats | SearchAndDestroyStats | OverloadStats, team: int, enemy: int
) -> list[Problem]:
    """Limits on the player's line that depend on the score of the match."""
    match player:
        case SearchAndDestroyStats():
            return search_and_destroy_problems(player, team, enemy)
        case OverloadStats():
            return overload_problems(player, team)
        case HardpointStats():
            # Hill time includes contested seconds, so it has no fixed relation to the score.
            return []


def weapon_problems(weapons: Sequence[WeaponStat], player_kills: int) -> list[Problem]:
    """Every weapon kill is one of the player's kills; streak and equipment kills are not."""
    weapon_kills = sum(weapon.kills for weapon in weapons)
    if weapon_kills > player_kills:
        return [
            (
                "weapons",
                f"weapon kills add up to {weapon_kills}, more than the player's "
                f"{counted(player_kills, 'kill')}",
            )
        ]
    return []
