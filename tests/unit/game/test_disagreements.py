"""Two readings of one screenshot, compared after the same validation and catalog."""

from __future__ import annotations

from typing import Any

from app.core.game.catalog import apply_catalog
from app.core.game.disagreements import ReaderFlag, disagreements, open_after_review
from app.core.game.modes import MatchStats
from app.core.game.validation import validate_extraction
from tests.support.factories import raw_hardpoint, raw_search_and_destroy
from tests.unit.wiring import packaged_catalog


def read(raw: dict[str, Any]) -> MatchStats:
    """A reading as `save_match` sees it: validated, then named as the catalog names things."""
    stats, _ = apply_catalog(validate_extraction(raw), packaged_catalog())
    return stats


def flag(field: str, used: int | float | str, other: int | float | str) -> ReaderFlag:
    return ReaderFlag(field=field, used=used, other=other)


def test_two_identical_readings_agree() -> None:
    assert disagreements(read(raw_hardpoint()), read(raw_hardpoint())) == []


def test_each_stat_read_differently_is_one_flag_with_both_values() -> None:
    other = raw_hardpoint(kills=34, objective_time_s=85)
    other["enemy_score"] = 210

    assert disagreements(read(raw_hardpoint()), read(other)) == [
        flag("enemy_score", 201, 210),
        flag("player.kills", 31, 34),
        flag("player.objective_time_s", 95, 85),
    ]


def test_names_spelled_differently_but_meaning_the_same_thing_agree() -> None:
    other = raw_hardpoint()
    other["map"] = "den"
    other["weapons"] = [{"name": "M15", "kills": 27, "headshots": 6, "accuracy": 23.5}]

    assert disagreements(read(raw_hardpoint()), read(other)) == []


def test_an_unknown_map_differing_only_in_case_agrees_and_another_map_does_not() -> None:
    first, same, other = raw_hardpoint(), raw_hardpoint(), raw_hardpoint()
    first["map"], same["map"], other["map"] = "Skyline", "SKYLINE", "Raid"

    assert disagreements(read(first), read(same)) == []
    assert disagreements(read(first), read(other)) == [flag("map", "Skyline", "Raid")]


def test_another_mode_is_flagged_and_only_the_stats_both_modes_have_are_compared() -> None:
    hardpoint = raw_hardpoint(score=3200, kills=9, deaths=8, assists=2)
    hardpoint.update(map="Scar", result="loss", team_score=200, enemy_score=250, weapons=[])
    snd = raw_search_and_destroy()

    assert disagreements(read(hardpoint), read(snd)) == [
        flag("mode", "hardpoint", "search_and_destroy"),
        flag("team_score", 200, 4),
        flag("enemy_score", 250, 6),
    ]


def test_weapons_are_compared_by_name_then_stat_by_stat() -> None:
    used = raw_hardpoint()
    used["weapons"] = [
        {"name": "M15 Mod 0", "kills": 20, "headshots": 6, "accuracy": 23.5},
        {"name": "MK.78", "kills": 7, "headshots": 1},
    ]
    other = raw_hardpoint()
    other["weapons"] = [
        {"name": "M15 Mod 0", "kills": 20, "headshots": 4, "accuracy": 23.46},
        {"name": "MK.78", "kills": 7, "headshots": 1, "accuracy": 30.0},
    ]
    fewer = raw_hardpoint()

    assert disagreements(read(used), read(other)) == [flag("weapons.M15 Mod 0.headshots", 6, 4)], (
        "23.5 and 23.46 show alike; an accuracy only one reader saw is no disagreement"
    )
    assert disagreements(read(used), read(fewer)) == [
        flag("weapons", "M15 Mod 0, MK.78", "M15 Mod 0"),
        flag("weapons.M15 Mod 0.kills", 20, 27),
    ]


def test_a_correction_settles_the_flags_of_the_fields_it_covers() -> None:
    flags = [
        flag("mode", "hardpoint", "overload"),
        flag("player.kills", 31, 34),
        flag("weapons", "M15 Mod 0", "none"),
        flag("weapons.MK.78.kills", 7, 9),
    ]

    assert open_after_review(flags, {"player.kills", "map"}) == [flags[0], *flags[2:]]
    assert open_after_review(flags, {"weapons"}) == flags[:2], "weapons covers each weapon"
    assert open_after_review(flags, None) == [], "a whole new reading covers every field"
