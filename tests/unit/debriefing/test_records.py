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


def test_the_hundredth_win_and_the_thousandth_kill_are_milestones() -> None:
    new = match(kills=25, result="win")
    comparison = compare_match(new, [], {})
    totals = CareerTotals(matches=180, wins=100, kills=1010)

    records = records_of(new, comparison, totals)

    assert [record.text for record in records] == ["Milestone: 100th win", "Milestone: 1,000 kills"]
    assert [record.key for record in records] == [
        f"milestone:{new.user_id}:wins:100",
        f"milestone:{new.user_id}:kills:1000",
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

    assert [record.text for record in records] == ["Milestone: 100th match logged"]


def test_the_same_best_has_the_same_key_and_a_higher_one_another() -> None:
    earlier = history(3, kills=20)
    first, again, higher = match(kills=34), match(kills=34), match(kills=36)

    def key(new):  # type: ignore[no-untyped-def]
        comparison = compare_match(new, earlier, {Stat.KILLS: 30.0})
        return records_of(new, comparison, NO_MILESTONE)[0].key

    assert key(first) == key(again) != key(higher)
