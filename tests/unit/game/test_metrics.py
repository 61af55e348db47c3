"""Named stats: which exist in which mode, and their values."""

from __future__ import annotations

import pytest

from app.core.game import (
    Mode,
    Stat,
    UnknownStat,
    kd_ratio,
    stat_value,
    stats_for_mode,
    validate_extraction,
)
from app.core.game.players import PLAYER_STATS_BY_MODE

from .raw import raw_match

COMMON = ("kd", "score", "kills", "deaths", "assists", "accuracy")


@pytest.mark.parametrize(("kills", "deaths", "ratio"), [(20, 10, 2.0), (7, 0, 7.0), (0, 0, 0.0)])
def test_kd_ratio(kills: int, deaths: int, ratio: float) -> None:
    assert kd_ratio(kills, deaths) == ratio


def test_without_a_mode_only_the_common_stats_are_offered() -> None:
    assert stats_for_mode() == COMMON


@pytest.mark.parametrize(
    ("mode", "specific"),
    [
        (Mode.HARDPOINT, ("objective_time_s", "captures")),
        (Mode.SEARCH_AND_DESTROY, ("plants", "defuses")),
        (Mode.OVERLOAD, ("overloads", "device_carry_time_s")),
    ],
)
def test_each_mode_adds_its_objective_stats(mode: Mode, specific: tuple[str, ...]) -> None:
    assert stats_for_mode(mode) == COMMON + specific


@pytest.mark.parametrize("mode", list(Mode))
def test_every_numeric_player_field_is_a_stat(mode: Mode) -> None:
    fields = set(PLAYER_STATS_BY_MODE[mode].model_fields) - {"mode", "gamertag"}

    assert fields <= set(stats_for_mode(mode))


def test_values_of_a_hardpoint_match() -> None:
    raw = raw_match(Mode.HARDPOINT, kills=30, deaths=20, score=7000, captures=5)
    raw["weapons"] = [
        {"name": "M15 Mod 0", "kills": 20, "headshots": 3, "accuracy": 20.0},
        {"name": "Dravec 45", "kills": 8, "headshots": 1, "accuracy": 30.0},
        {"name": "Knife", "kills": 2, "headshots": 0, "accuracy": None},
    ]
    stats = validate_extraction(raw)

    assert stat_value(stats, "kd") == 1.5
    assert stat_value(stats, Stat.SCORE) == 7000.0
    assert stat_value(stats, "captures") == 5.0
    assert stat_value(stats, "accuracy") == 25.0


def test_accuracy_is_none_when_no_weapon_shows_it() -> None:
    stats = validate_extraction(raw_match() | {"weapons": []})

    assert stat_value(stats, "accuracy") is None


def test_a_stat_of_another_mode_is_refused_with_the_valid_choices() -> None:
    stats = validate_extraction(raw_match(Mode.OVERLOAD))

    with pytest.raises(UnknownStat) as caught:
        stat_value(stats, "plants")

    assert caught.value.valid == stats_for_mode(Mode.OVERLOAD)
    assert "overloads" in str(caught.value)


def test_an_unknown_stat_is_refused() -> None:
    with pytest.raises(UnknownStat):
        stat_value(validate_extraction(raw_match()), "k/d")


def test_labels_and_ordering() -> None:
    assert Stat.KD.label == "K/D"
    assert Stat.OBJECTIVE_TIME.label == "Hill time"
    assert not Stat.DEATHS.higher_is_better
    assert Stat.KILLS.higher_is_better
    assert Stat.PLANTS.mode is Mode.SEARCH_AND_DESTROY


def test_mode_display_names() -> None:
    assert [mode.display_name for mode in Mode] == ["Hardpoint", "Search and Destroy", "Overload"]
