"""Parsing raw matches: the mode union, the result against the score, cross-field rules."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.core.game import (
    HardpointStats,
    InvalidMatchStats,
    MatchStats,
    Mode,
    OverloadStats,
    Result,
    SearchAndDestroyStats,
    validate_extraction,
)

from .raw import raw_match


def problems_of(raw: Any) -> list[str]:
    with pytest.raises(InvalidMatchStats) as caught:
        validate_extraction(raw)
    return caught.value.problems


@pytest.mark.parametrize(
    ("mode", "model"),
    [
        (Mode.HARDPOINT, HardpointStats),
        (Mode.SEARCH_AND_DESTROY, SearchAndDestroyStats),
        (Mode.OVERLOAD, OverloadStats),
    ],
)
def test_the_mode_picks_the_player_model(mode: Mode, model: type[object]) -> None:
    stats = validate_extraction(raw_match(mode))

    assert isinstance(stats.player, model)
    assert stats.mode is mode
    assert stats.player.mode is mode


def test_a_valid_match_keeps_every_field() -> None:
    stats = validate_extraction(raw_match(Mode.HARDPOINT))

    assert stats.map == "Den"
    assert stats.result is Result.WIN
    assert (stats.team_score, stats.enemy_score) == (250, 201)
    assert stats.player.gamertag == "Ghost"
    assert isinstance(stats.player, HardpointStats)
    assert (stats.player.objective_time_s, stats.player.captures) == (95, 4)
    assert [weapon.name for weapon in stats.weapons] == ["M15 Mod 0"]


@pytest.mark.parametrize("mode", list(Mode))
def test_to_raw_gives_back_the_raw_shape(mode: Mode) -> None:
    raw = raw_match(mode)

    assert validate_extraction(raw).to_raw() == raw


@pytest.mark.parametrize("mode", list(Mode))
def test_a_dump_validates_back_to_the_same_stats(mode: Mode) -> None:
    stats = validate_extraction(raw_match(mode))

    assert MatchStats.model_validate(stats.model_dump()) == stats
    assert MatchStats.model_validate_json(stats.model_dump_json()) == stats
    assert stats.model_dump(mode="json")["mode"] == mode.value


def test_an_unknown_mode_is_named() -> None:
    assert problems_of(raw_match() | {"mode": "team_deathmatch"}) == [
        "mode: 'team_deathmatch' is not a ranked mode (hardpoint, search_and_destroy, overload)"
    ]


def test_a_missing_mode_is_named() -> None:
    raw = raw_match()
    del raw["mode"]

    assert problems_of(raw) == ["mode: missing"]


def test_stats_of_another_mode_are_rejected() -> None:
    raw = raw_match(Mode.HARDPOINT, plants=2)

    assert problems_of(raw) == ["player.plants: not a stat in Hardpoint"]


def test_the_right_stats_under_the_wrong_mode_are_all_reported() -> None:
    raw = raw_match(Mode.SEARCH_AND_DESTROY) | {"mode": "overload"}

    assert problems_of(raw) == [
        "player.overloads: missing",
        "player.device_carry_time_s: missing",
        "player.plants: not a stat in Overload",
        "player.defuses: not a stat in Overload",
    ]


def test_unexpected_top_level_fields_are_rejected() -> None:
    assert problems_of(raw_match() | {"kd": 1.5}) == ["kd: unexpected field"]


def test_a_player_mode_that_contradicts_the_match_mode_is_rejected() -> None:
    raw = raw_match(Mode.HARDPOINT)
    raw["player"]["mode"] = "overload"

    assert problems_of(raw) == ["player.mode: 'overload' contradicts the match mode 'hardpoint'"]


def test_every_problem_is_reported_at_once() -> None:
    raw = raw_match(Mode.SEARCH_AND_DESTROY, deaths=47, kills="many")
    raw["result"] = "victory"
    raw["weapons"][0]["accuracy"] = 130

    assert problems_of(raw) == [
        "result: 'victory' is not one of 'win', 'loss' or 'draw'",
        "player.kills: expected a whole number, got 'many'",
        "player.deaths: 47 is more than possible in Search and Destroy (max 11)",
        "weapons[0].accuracy: 130 is more than the maximum of 100",
    ]


def test_true_is_not_read_as_one() -> None:
    assert problems_of(raw_match(kills=True)) == [
        "player.kills: expected a number, not true or false"
    ]


def test_numbers_written_as_text_are_read() -> None:
    stats = validate_extraction(raw_match(kills="12"))

    assert stats.player.kills == 12


def test_something_other_than_an_object_is_rejected() -> None:
    assert problems_of(["not", "a", "match"]) == ["expected an object with the match stats"]
    assert problems_of(raw_match() | {"player": 12}) == ["player: expected an object"]


def test_a_blank_map_is_rejected() -> None:
    assert problems_of(raw_match() | {"map": "   "}) == ["map: cannot be empty"]


def test_a_missing_gamertag_is_fine() -> None:
    raw = raw_match()
    del raw["player"]["gamertag"]

    assert validate_extraction(raw).player.gamertag is None


def test_the_error_message_lists_the_problems() -> None:
    error = InvalidMatchStats(["team_score: one.", "player.device_carry_time_s: two", "three"])

    assert error.problems == ["team_score: one.", "player.device_carry_time_s: two", "three"]
    assert error.user_message == (
        "These stats don't add up:\n• Your team's score: one\n• Device carry time: two\n• Three"
    )


class TestResultAndScore:
    @pytest.mark.parametrize(
        ("result", "team", "enemy"),
        [("win", 250, 249), ("loss", 12, 250), ("draw", 180, 180), ("loss", 0, 1)],
    )
    def test_a_result_that_follows_from_the_score_is_accepted(
        self, result: str, team: int, enemy: int
    ) -> None:
        raw = raw_match() | {"result": result, "team_score": team, "enemy_score": enemy}

        assert validate_extraction(raw).result == result

    @pytest.mark.parametrize(
        ("result", "team", "enemy"),
        [("win", 201, 250), ("loss", 250, 201), ("win", 150, 150), ("draw", 150, 149)],
    )
    def test_a_result_that_contradicts_the_score_is_rejected(
        self, result: str, team: int, enemy: int
    ) -> None:
        raw = raw_match() | {"result": result, "team_score": team, "enemy_score": enemy}

        assert problems_of(raw) == [f"result: {result} does not match the score {team}-{enemy}"]

    @pytest.mark.parametrize("mode", [Mode.SEARCH_AND_DESTROY, Mode.OVERLOAD])
    def test_modes_without_draws_reject_a_draw(self, mode: Mode) -> None:
        raw = raw_match(mode, deaths=2) | {"result": "draw", "team_score": 3, "enemy_score": 3}

        assert problems_of(raw) == [f"result: a draw is not possible in {mode.display_name}"]

    def test_a_win_before_the_score_limit_is_accepted(self) -> None:
        # Time limits and forfeits end matches before the limit.
        raw = raw_match() | {"team_score": 190, "enemy_score": 120}

        assert validate_extraction(raw).team_score == 190


class TestSearchAndDestroyRounds:
    def test_more_deaths_than_rounds_is_rejected(self) -> None:
        raw = raw_match(Mode.SEARCH_AND_DESTROY, deaths=8) | {"team_score": 6, "enemy_score": 1}

        assert problems_of(raw) == ["player.deaths: 8 deaths in 7 rounds (one life per round)"]

    def test_more_kills_and_assists_than_enemy_deaths_is_rejected(self) -> None:
        raw = raw_match(Mode.SEARCH_AND_DESTROY, kills=20, assists=9, deaths=0)
        raw |= {"team_score": 6, "enemy_score": 1}

        assert problems_of(raw) == [
            "player.kills: kills plus assists (29) exceed the 28 enemy deaths possible in 7 rounds"
        ]

    def test_more_plants_and_defuses_than_rounds_is_rejected(self) -> None:
        raw = raw_match(Mode.SEARCH_AND_DESTROY, plants=4, defuses=4, deaths=0)
        raw |= {"team_score": 6, "enemy_score": 1}

        assert problems_of(raw) == [
            "player.plants: plants plus defuses (8) exceed the 7 rounds played"
        ]

    def test_a_full_eleven_round_game_is_accepted(self) -> None:
        raw = raw_match(
            Mode.SEARCH_AND_DESTROY, kills=30, assists=14, deaths=11, plants=6, defuses=5
        )

        assert validate_extraction(raw).player.kills == 30


class TestOverload:
    def test_more_overloads_than_team_points_is_rejected(self) -> None:
        raw = raw_match(Mode.OVERLOAD, overloads=4) | {"team_score": 3, "enemy_score": 8}
        raw["result"] = "loss"

        assert problems_of(raw) == ["player.overloads: 4 overloads but the team scored 3"]


class TestWeapons:
    def test_more_headshots_than_kills_is_rejected(self) -> None:
        raw = raw_match()
        raw["weapons"][0] |= {"kills": 5, "headshots": 6}

        assert problems_of(raw) == ["weapons[0].headshots: 6 headshots but only 5 kills"]

    def test_weapon_kills_cannot_exceed_the_players_kills(self) -> None:
        raw = raw_match(kills=10)
        raw["weapons"] = [
            {"name": "M15 Mod 0", "kills": 6, "headshots": 0, "accuracy": None},
            {"name": "Dravec 45", "kills": 5, "headshots": 0, "accuracy": None},
        ]

        assert problems_of(raw) == [
            "weapons: weapon kills add up to 11, more than the player's 10 kills"
        ]

    def test_accuracy_is_optional(self) -> None:
        raw = raw_match()
        del raw["weapons"][0]["accuracy"]

        assert validate_extraction(raw).weapons[0].accuracy is None

    def test_at_most_ten_weapons(self) -> None:
        raw = raw_match(kills=20)
        weapon = {"name": "Knife", "kills": 1, "headshots": 0, "accuracy": None}
        raw["weapons"] = [weapon] * 11

        assert problems_of(raw) == ["weapons: at most 10 allowed, got 11"]

    def test_no_weapons_is_fine(self) -> None:
        assert validate_extraction(raw_match() | {"weapons": []}).weapons == ()


def test_direct_construction_enforces_the_same_rules() -> None:
    player = SearchAndDestroyStats(score=100, kills=1, deaths=7, assists=0, plants=0, defuses=0)
    assert player.mode is Mode.SEARCH_AND_DESTROY

    with pytest.raises(ValidationError, match="one life per round"):
        MatchStats(map="Den", result=Result.WIN, team_score=6, enemy_score=0, player=player)
