"""bench.reader's scoring: every stat is one field, a match is exact only when all are."""

from __future__ import annotations

from bench.reader import Tally, Timing, field_kind, fields
from devtools.samples.scoreboards import generate_one


def test_stats_flatten_to_one_field_per_stat() -> None:
    stats = {
        "mode": "hardpoint",
        "player": {"kills": 3, "gamertag": "a"},
        "weapons": [{"name": "X", "kills": 1}],
    }

    assert fields(stats) == {
        "mode": "hardpoint",
        "player.kills": 3,
        "player.gamertag": "a",
        "weapons[0].name": "X",
        "weapons[0].kills": 1,
    }
    assert fields(None) == {}
    assert field_kind("weapons[3].accuracy") == "weapons.accuracy"


def test_a_wrong_stat_costs_its_field_and_the_whole_match() -> None:
    generated = generate_one(3, 5)
    misread = {**generated.answer, "player": {**generated.answer["player"], "kills": 999}}
    tally = Tally()

    tally.add(generated, generated.answer, Timing(1.0, 0.5, 0.1))
    tally.add(generated, misread, Timing(1.0, 0.5, 0.1))
    tally.add(generated, None, Timing(1.0, 0.5, 0.1))

    fields_per_match = len(fields(generated.answer))
    assert sum(tally.total.values()) == 3 * fields_per_match
    assert sum(tally.right.values()) == 2 * fields_per_match - 1
    assert (tally.exact, tally.matches) == (1, 3)
    report = tally.report(3, 100.0)
    assert "player.kills" in report and "read as 999" in report
