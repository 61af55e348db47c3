"""bench.reader's scoring: every stat is one field, a match is exact only when all are."""

from __future__ import annotations

from bench.reader import Tally, Timing, field_kind, fields, paired_rows
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


def test_other_rows_pair_by_name_then_by_place() -> None:
    want = [{"gamertag": "Ann"}, {"gamertag": "Bob"}, {"gamertag": "Cy"}]
    have = [{"gamertag": "Ann"}, {"gamertag": "B0b"}]

    assert paired_rows(want, have) == [
        (want[0], have[0]),
        (want[1], have[1]),
        (want[2], None),
    ]
    # A place already taken by a row of the same name is not taken twice.
    twice = [have[0], have[0]]
    assert paired_rows(want, twice) == [(want[0], have[0]), (want[1], None), (want[2], None)]


def test_other_rows_count_apart_from_the_players_stats() -> None:
    generated = generate_one(3, 5)
    rows = list(generated.lobby)
    misread = [{**rows[0], "kills": 999}, *rows[1:-1]]
    tally = Tally()

    tally.add(generated, generated.answer, Timing(1.0, 0.5, 0.1), rows)
    tally.add(generated, generated.answer, Timing(1.0, 0.5, 0.1), [*misread, {"gamertag": "x"}])
    tally.add(generated, generated.answer, Timing(1.0, 0.5, 0.1), [{"gamertag": "Someone"}])

    fields_per_lobby = sum(len(row) for row in rows)
    assert sum(tally.lobby_total.values()) == 3 * fields_per_lobby
    assert sum(tally.lobby_right.values()) == 2 * fields_per_lobby - 1 - len(rows[-1])
    assert (tally.lobby_rows_exact, tally.lobby_rows) == (2 * len(rows) - 2, 3 * len(rows))
    assert tally.lobby_rows_extra == 0
    assert tally.exact == 3, "the player's stats are scored on their own"
    report = tally.report(3, 100.0)
    assert "lobby field accuracy" in report and "read as 999" in report
    assert f"row of {rows[1]['gamertag']!r} not read" in report
