"""The English of replies: counts, possessives, and a player named or addressed."""

from __future__ import annotations

import pytest

from app.core.game.changes import stat_changes
from app.core.game.field_names import readable_field, readable_problem
from app.core.game.validation import validate_extraction
from app.core.wording import Person, capitalised, counted, plural, possessive
from tests.support.factories import raw_hardpoint


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "kill", "1 kill"),
        (0, "kill", "0 kills"),
        (2, "match", "2 matches"),
        (1, "match", "1 match"),
        (3, "loss", "3 losses"),
        (1204, "death", "1,204 deaths"),
    ],
)
def test_counts_take_the_plural_they_need(count: int, noun: str, expected: str) -> None:
    assert counted(count, noun) == expected


def test_plural_alone_follows_the_count() -> None:
    assert [plural("match", n) for n in (1, 2, 0)] == ["match", "matches", "matches"]


def test_the_reader_is_you_and_anyone_else_is_named() -> None:
    you, alex, chris = Person("Ghost", is_reader=True), Person("Alex"), Person("Chris")

    assert (you.has(), you.possessive, you.subject) == ("you have", "your", "you")
    assert (alex.has(), alex.possessive, alex.subject) == ("Alex has", "Alex's", "Alex")
    assert chris.possessive == possessive("Chris") == "Chris'"
    assert capitalised(f"{you.possessive} matches") == "Your matches"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("team_score", "your team's score"),
        ("player.deaths", "deaths"),
        ("player.objective_time_s", "hill time"),
        ("weapons[1].headshots", "weapon 2 headshots"),
        ("weapons", "weapons"),
    ],
)
def test_fields_are_named_as_players_say_them(path: str, words: str) -> None:
    assert readable_field(path) == words


def test_a_problem_line_reads_as_a_list_item() -> None:
    assert readable_problem("team_score: 300 is more than 250.") == (
        "Your team's score: 300 is more than 250"
    )


def test_a_correction_lists_what_changed_in_words_and_units() -> None:
    before = validate_extraction(raw_hardpoint())
    after = validate_extraction(raw_hardpoint(kills=34, objective_time_s=112))

    assert stat_changes(before, after) == ["kills 31 → 34", "hill time 1:35 → 1:52"]
    assert stat_changes(before, before) == []
