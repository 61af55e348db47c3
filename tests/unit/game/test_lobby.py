"""The scoreboard's other rows, validated one by one as each player's own match."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.game.lobby import MAX_LOBBY_ROWS, Team, lobby_row, lobby_rows
from app.core.game.modes import MatchStats
from app.core.game.rules import Result
from tests.support.factories import raw_hardpoint, raw_search_and_destroy

BOARD = MatchStats.model_validate(raw_hardpoint())  # a 250-201 win on Den


def row(**fields: Any) -> dict[str, Any]:
    return {
        "gamertag": "Viper_21",
        "team": "ally",
        "score": 4200,
        "kills": 20,
        "deaths": 18,
        "assists": 6,
        "objective_time_s": 60,
        "captures": 3,
        **fields,
    }


def test_an_ally_shares_the_uploaders_result_and_score() -> None:
    found = lobby_row(BOARD, row())

    assert found is not None and found.team is Team.ALLY and found.gamertag == "Viper_21"
    stats = found.stats
    assert (stats.result, stats.team_score, stats.enemy_score) == (Result.WIN, 250, 201)
    assert (stats.mode, stats.map, stats.weapons) == (BOARD.mode, "Den", ())
    assert stats.player.kills == 20 and stats.player.gamertag == "Viper_21"


def test_an_enemy_sees_the_score_and_result_turned_round() -> None:
    found = lobby_row(BOARD, row(team="enemy"))

    assert found is not None
    assert (found.stats.result, found.stats.team_score, found.stats.enemy_score) == (
        Result.LOSS,
        201,
        250,
    )


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("Viper_21", id="not-a-mapping"),
        pytest.param(row(team="spectator"), id="unknown-team"),
        pytest.param(row(team=None), id="no-team"),
        pytest.param(row(gamertag="  "), id="blank-name"),
        pytest.param(row(gamertag=7), id="name-not-text"),
        pytest.param(row(kills=None), id="unreadable-cell"),
        pytest.param(row(deaths=-1), id="negative"),
        pytest.param(row(plants=2), id="another-modes-stat"),
        pytest.param(row(weapon="Kogot-7"), id="unknown-field"),
    ],
)
def test_a_row_that_does_not_validate_is_dropped(raw: object) -> None:
    assert lobby_row(BOARD, raw) is None


def test_a_bad_row_costs_only_itself_and_a_board_stops_at_twelve_players() -> None:
    rows = [row(gamertag=f"P{i}") for i in range(MAX_LOBBY_ROWS + 3)]
    rows[2] = row(gamertag="Broken", deaths="lots")

    kept = lobby_rows(BOARD, rows)

    assert [r.gamertag for r in kept] == [f"P{i}" for i in range(MAX_LOBBY_ROWS) if i != 2]


def test_rows_follow_the_boards_mode() -> None:
    search = MatchStats.model_validate(raw_search_and_destroy())
    hardpoint_row = row()
    search_row = {
        key: value
        for key, value in row(kills=7, deaths=9, plants=1, defuses=0).items()
        if key not in ("objective_time_s", "captures")
    }

    assert lobby_row(search, hardpoint_row) is None
    found = lobby_row(search, search_row)
    assert found is not None and found.stats.mode is search.mode
