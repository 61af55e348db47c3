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
from app.core.i18n import N_, _
from app.core.wording import counted

Problem = tuple[str, str]
# A result as a problem line names it ("win does not match the score 4-6").
RESULT_NAMES = {Result.WIN: N_("win"), Result.LOSS: N_("loss"), Result.DRAW: N_("draw")}


def score_limit_problems(rules: ModeRules, team: int, enemy: int) -> list[Problem]:
    """Both scores within the limit, and not both at it: reaching the limit ends the match."""
    mode, limit = _(rules.display_name), rules.score_limit
    problems = [
        (
            field,
            _(
                "{value} is more than possible in {mode} (max {limit})",
                value=value,
                mode=mode,
                limit=limit,
            ),
        )
        for field, value in (("team_score", team), ("enemy_score", enemy))
        if value > limit
    ]
    if not problems and team == enemy == limit:
        problems.append(
            ("enemy_score", _("both teams cannot reach the score limit ({limit})", limit=limit))
        )
    return problems


def result_problems(rules: ModeRules, result: Result, team: int, enemy: int) -> list[Problem]:
    """The result follows from the scores: the higher score wins, a level score is a draw."""
    if result is Result.DRAW and not rules.draws_possible:
        return [("result", _("a draw is not possible in {mode}", mode=_(rules.display_name)))]
    expected = Result.WIN if team > enemy else Result.LOSS if team < enemy else Result.DRAW
    if result is expected:
        return []
    return [
        (
            "result",
            _(
                "{result} does not match the score {team}-{enemy}",
                result=_(RESULT_NAMES[result]),
                team=team,
                enemy=enemy,
            ),
        )
    ]


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
                _(
                    "{deaths} in {rounds} (one life per round)",
                    deaths=counted(player.deaths, "death"),
                    rounds=counted(rounds, "round"),
                ),
            )
        )
    if player.kills + player.assists > enemy_deaths:
        problems.append(
            (
                "player.kills",
                _(
                    "kills plus assists ({sum}) exceed the {enemy_deaths} enemy deaths possible "
                    "in {rounds} rounds",
                    sum=player.kills + player.assists,
                    enemy_deaths=enemy_deaths,
                    rounds=rounds,
                ),
            )
        )
    if player.plants + player.defuses > rounds:
        problems.append(
            (
                "player.plants",
                _(
                    "plants plus defuses ({sum}) exceed the {rounds} rounds played",
                    sum=player.plants + player.defuses,
                    rounds=rounds,
                ),
            )
        )
    return problems


def overload_problems(player: OverloadStats, team: int) -> list[Problem]:
    """A player's overloads are points for their team."""
    if player.overloads > team:
        return [
            (
                "player.overloads",
                _(
                    "{overloads} but the team scored {team}",
                    overloads=counted(player.overloads, "overload"),
                    team=team,
                ),
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
                _(
                    "weapon kills add up to {weapon_kills}, more than the player's {kills}",
                    weapon_kills=weapon_kills,
                    kills=counted(player_kills, "kill"),
                ),
            )
        ]
    return []
