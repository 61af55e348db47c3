"""Every bound of every mode: the maximum passes, one more is rejected with a readable line."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.game import MODE_RULES, InvalidMatchStats, Mode, validate_extraction
from app.core.game.players import PLAYER_STATS_BY_MODE

from .raw import raw_match

PLAYER_LIMITS = [
    pytest.param(mode, stat, limit, id=f"{mode.value}-{stat}")
    for mode, rules in MODE_RULES.items()
    for stat, limit in rules.player_limits.items()
]


def _with(mode: Mode, stat: str, value: int) -> dict[str, Any]:
    raw = raw_match(mode, **{stat: value})
    if (mode, stat) == (Mode.SEARCH_AND_DESTROY, "assists"):
        # Kills and assists share the enemy deaths of the match: make room for the assists.
        raw["player"]["kills"] = 0
        raw["weapons"] = []
    return raw


@pytest.mark.parametrize(("mode", "stat", "limit"), PLAYER_LIMITS)
def test_a_player_stat_at_its_limit_is_accepted(mode: Mode, stat: str, limit: int) -> None:
    stats = validate_extraction(_with(mode, stat, limit))

    assert getattr(stats.player, stat) == limit


@pytest.mark.parametrize(("mode", "stat", "limit"), PLAYER_LIMITS)
def test_a_player_stat_over_its_limit_is_rejected(mode: Mode, stat: str, limit: int) -> None:
    with pytest.raises(InvalidMatchStats) as caught:
        validate_extraction(_with(mode, stat, limit + 1))

    assert caught.value.problems == [
        f"player.{stat}: {limit + 1} is more than possible in {mode.display_name} (max {limit})"
    ]


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("side", ["team_score", "enemy_score"])
def test_a_score_over_the_limit_is_rejected(mode: Mode, side: str) -> None:
    limit = MODE_RULES[mode].score_limit
    raw = raw_match(mode) | {side: limit + 1}

    with pytest.raises(InvalidMatchStats) as caught:
        validate_extraction(raw)

    assert f"{side}: {limit + 1} is more than possible in {mode.display_name} (max {limit})" in (
        caught.value.problems
    )


@pytest.mark.parametrize("mode", list(Mode))
def test_a_winner_at_the_score_limit_is_accepted(mode: Mode) -> None:
    limit = MODE_RULES[mode].score_limit

    raw = raw_match(mode) | {"team_score": limit, "enemy_score": limit - 1}

    stats = validate_extraction(raw)

    assert stats.team_score == limit


@pytest.mark.parametrize("mode", list(Mode))
def test_both_teams_cannot_reach_the_score_limit(mode: Mode) -> None:
    limit = MODE_RULES[mode].score_limit
    raw = raw_match(mode) | {"team_score": limit, "enemy_score": limit, "result": "draw"}

    with pytest.raises(InvalidMatchStats) as caught:
        validate_extraction(raw)

    assert caught.value.problems == [
        f"enemy_score: both teams cannot reach the score limit ({limit})"
    ]


@pytest.mark.parametrize("mode", list(Mode))
def test_every_mode_stat_has_exactly_one_limit(mode: Mode) -> None:
    model = PLAYER_STATS_BY_MODE[mode]
    counted = {name for name in model.model_fields if name not in {"mode", "gamertag"}}

    assert set(MODE_RULES[mode].player_limits) == counted


@pytest.mark.parametrize("field", ["kills", "deaths", "score", "assists"])
def test_negative_counts_are_rejected(field: str) -> None:
    with pytest.raises(InvalidMatchStats) as caught:
        validate_extraction(raw_match(Mode.HARDPOINT, **{field: -1}))

    assert caught.value.problems == [f"player.{field}: -1 cannot be negative"]
