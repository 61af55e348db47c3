"""Personal bests and milestones of a match, from the comparison and the career totals."""

from __future__ import annotations

from itertools import islice

import pytest

from app.core.analytics import CareerTotals
from app.core.debriefing.comparison import compare_match
from app.core.debriefing.records import Milestone, crossed, marks, records_of
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from tests.unit.debriefing.builders import history, match

NO_MILESTONE = CareerTotals(matches=7, wins=3, kills=140)


def test_the_marks_are_round_numbers() -> None:
    assert list(islice(marks(Milestone.WINS), 7)) == [100, 250, 500, 1000, 2500, 5000, 10000]
    assert list(islice(marks(Milestone.KILLS), 4)) == [1000, 2500, 5000, 10000]


@pytest.mark.parametrize(
    ("before", "after", "mark"),
    [(99, 100, 100), (100, 101, None), (990, 1010, 1000), (240, 520, 500), (0, 99, None)],
)
def test_a_milestone_is_crossed_only_by_the_match_that_reaches_it(
    before: int, after: int, mark: int | None
) -> None:
    assert crossed(Milestone.WINS, before, after) == mark


def test_a_new_best_reads_as_a_number_a_stat_and_a_mode() -> None:
    new = match(kills=34)
    comparison = compare_match(new, history(3, kills=20), {Stat.KILLS: 30.0})

    texts = [record.text for record in records_of(new, comparison, NO_MILESTONE)]

    assert texts == ["New personal best: 34 kills in Hardpoint"]


def test_fewest_deaths_reads_as_a_best_too() -> None:
    new = match(Mode.HARDPOINT, deaths=2)
    comparison = compare_match(new, history(3), {Stat.DEATHS: 9.0})

    texts = [record.text for record in records_of(new, comparison, NO_MILESTONE)]

    assert "New personal best: only 2 deaths in Hardpoint" in texts


@pytest.mark.parametrize(
    ("mode", "stat", "player", "accuracy", "text"),
    [
        (Mode.HARDPOINT, Stat.KILLS, {"kills": 1}, 22.0, "1 kill"),
        (Mode.HARDPOINT, Stat.DEATHS, {"deaths": 1}, 22.0, "only 1 death"),
        (Mode.HARDPOINT, Stat.ASSISTS, {"assists": 1}, 22.0, "1 assist"),
        (Mode.HARDPOINT, Stat.CAPTURES, {"captures": 1}, 22.0, "1 capture"),
        (Mode.SEARCH_AND_DESTROY, Stat.PLANTS, {"plants": 1}, 22.0, "1 plant"),
        (Mode.SEARCH_AND_DESTROY, Stat.DEFUSES, {"defuses": 1}, 22.0, "1 defuse"),
        (Mode.OVERLOAD, Stat.OVERLOADS, {"overloads": 1}, 22.0, "1 overload"),
        (Mode.HARDPOINT, Stat.OBJECTIVE_TIME, {"objective_time_s": 1}, 22.0, "0:01 hill time"),
        (
            Mode.OVERLOAD,
            Stat.DEVICE_CARRY_TIME,
            {"device_carry_time_s": 1},
            22.0,
            "0:01 device carry time",
        ),
        (Mode.HARDPOINT, Stat.ACCURACY, {}, 1.0, "1.0% accuracy"),
        (Mode.HARDPOINT, Stat.KD, {"kills": 1, "deaths": 1}, 22.0, "1.00 K/D"),
    ],
)
def test_a_best_of_one_reads_in_the_singular(
    mode: Mode, stat: Stat, player: dict[str, int], accuracy: float, text: str
) -> None:
    new = match(mode, accuracy=(accuracy,), **player)
    # The previous best is just short of the new value, on the side the stat improves to.
    previous_best = 0.0 if stat.higher_is_better else 9.0
    comparison = compare_match(new, history(3, mode), {stat: previous_best})

    texts = [record.text for record in records_of(new, comparison, NO_MILESTONE)]

    assert texts == [f"New personal best: {text} in {mode.display_name}"]


def test_two_of_a_count_read_in_the_plural() -> None:
    new = match(Mode.SEARCH_AND_DESTROY, plants=2)
    comparison = compare_match(new, history(3, Mode.SEARCH_AND_DESTROY), {Stat.PLANTS: 1.0})

    texts = [record.text for record in records_of(new, comparison, NO_MILESTONE)]

    assert texts == ["New personal best: 2 plants in Search and Destroy"]


def test_the_hundredth_win_and_the_thousandth_kill_are_milestones() -> None:
    new = match(kills=25, result="win")
    comparison = compare_match(new, [], {})
    totals = CareerTotals(matches=180, wins=100, kills=1010)

    records = records_of(new, comparison, totals)

    assert [record.text for record in records] == [
        "Milestone: 100th win in this server",
        "Milestone: 1,000 kills in this server",
    ]
    assert [record.key for record in records] == [
        f"milestone:{new.guild_id}:{new.user_id}:wins:100",
        f"milestone:{new.guild_id}:{new.user_id}:kills:1000",
    ]


def test_a_loss_is_never_a_winning_milestone() -> None:
    new = match(result="loss")
    records = records_of(
        new, compare_match(new, [], {}), CareerTotals(matches=3, wins=100, kills=5)
    )

    assert records == ()


def test_the_hundredth_match_is_a_milestone() -> None:
    new = match(result="loss", kills=3)
    totals = CareerTotals(matches=100, wins=40, kills=900)

    records = records_of(new, compare_match(new, [], {}), totals)

    assert [record.text for record in records] == ["Milestone: 100th match logged in this server"]


def test_the_same_best_has_the_same_key_and_a_higher_one_another() -> None:
    earlier = history(3, kills=20)
    first, again, higher = match(kills=34), match(kills=34), match(kills=36)

    def key(new):  # type: ignore[no-untyped-def]
        comparison = compare_match(new, earlier, {Stat.KILLS: 30.0})
        return records_of(new, comparison, NO_MILESTONE)[0].key

    assert key(first) == key(again) != key(higher)
