"""A new match against the player's history: averages, deltas, bests, streaks, summary."""

from __future__ import annotations

import json

import pytest

from app.core.debriefing import StatComparison, compare_match
from app.core.game.metrics import Stat
from app.core.game.rules import Mode

from .builders import history, match


def test_the_first_match_of_a_mode_sets_the_baseline() -> None:
    new = match(Mode.SEARCH_AND_DESTROY)
    older_hardpoint = history(3, Mode.HARDPOINT)

    comparison = compare_match(new, older_hardpoint, {Stat.SCORE: 100.0})

    assert comparison.is_first
    assert comparison.stats == ()
    assert comparison.new_bests == ()
    assert comparison.summary == (
        "First Search and Destroy match logged — this sets your baseline."
    )
    assert comparison.facts()["matches_compared"] == 0
    assert comparison.facts()["your_averages"] == {}


def test_kd_average_pools_kills_and_deaths() -> None:
    previous = [match(kills=10, deaths=0, hours_ago=1), match(kills=10, deaths=20, hours_ago=2)]

    comparison = compare_match(match(kills=30, deaths=20), previous, {})

    kd = comparison.against(Stat.KD)
    assert kd == StatComparison(stat=Stat.KD, value=1.5, average=1.0)
    assert kd.delta == 0.5
    assert kd.delta_pct == 50


def test_deathless_history_counts_its_total_kills_as_kd() -> None:
    previous = [match(kills=4, deaths=0, hours_ago=1), match(kills=6, deaths=0, hours_ago=2)]

    comparison = compare_match(match(kills=12, deaths=0), previous, {})

    assert comparison.values[Stat.KD] == 12
    assert comparison.against(Stat.KD) == StatComparison(stat=Stat.KD, value=12, average=10)


def test_other_stats_average_as_means() -> None:
    previous = [match(score=4000, hours_ago=1), match(score=6000, hours_ago=2)]

    score = compare_match(match(score=4500), previous, {}).against(Stat.SCORE)

    assert score is not None
    assert (score.average, score.delta, score.delta_pct) == (5000, -500, -10)
    assert score.gain_pct == -10


def test_fewer_deaths_is_a_gain() -> None:
    deaths = StatComparison(stat=Stat.DEATHS, value=8, average=10)

    assert deaths.delta_pct == -20
    assert deaths.gain_pct == 20


def test_a_zero_average_has_no_percentage() -> None:
    captures = StatComparison(stat=Stat.CAPTURES, value=2, average=0)

    assert captures.delta_pct is None
    assert captures.gain_pct is None
    assert captures.describe() == "Captures 2 vs your 0 average"


def test_accuracy_averages_only_the_matches_that_show_it() -> None:
    previous = [
        match(accuracy=(20.0, None), hours_ago=1),
        match(accuracy=(None,), hours_ago=2),
        match(accuracy=(), hours_ago=3),
        match(accuracy=(30.0,), hours_ago=4),
    ]

    accuracy = compare_match(match(accuracy=(27.5,)), previous, {}).against(Stat.ACCURACY)

    assert accuracy == StatComparison(stat=Stat.ACCURACY, value=27.5, average=25.0)


def test_a_match_without_accuracy_is_compared_on_everything_else() -> None:
    comparison = compare_match(match(accuracy=()), history(3, accuracy=(25.0,)), {})

    assert Stat.ACCURACY not in comparison.values
    assert comparison.against(Stat.ACCURACY) is None
    assert comparison.against(Stat.KD) is not None


def test_history_without_accuracy_gives_no_accuracy_average() -> None:
    comparison = compare_match(match(accuracy=(25.0,)), history(3, accuracy=(None,)), {})

    assert comparison.values[Stat.ACCURACY] == 25.0
    assert comparison.against(Stat.ACCURACY) is None


def test_only_previous_matches_of_the_same_mode_count_and_never_the_match_itself() -> None:
    new = match(kills=20, deaths=10)
    previous = [new, match(kills=10, deaths=10, hours_ago=1), *history(2, Mode.OVERLOAD)]

    comparison = compare_match(new, previous, {})

    assert comparison.history == 1
    assert comparison.against(Stat.KD) == StatComparison(stat=Stat.KD, value=2, average=1)


def test_a_new_best_must_beat_the_previous_best() -> None:
    new = match(score=7000, kills=30, deaths=10, captures=3)
    bests = {Stat.SCORE: 6999.0, Stat.KILLS: 30.0, Stat.DEATHS: 12.0, Stat.CAPTURES: 5.0}

    comparison = compare_match(new, history(2), bests)

    # Kills tie the best: not a new one. Fewer deaths than the fewest: a new best.
    assert comparison.new_bests == (Stat.SCORE, Stat.DEATHS)


def test_a_stat_with_no_known_best_claims_nothing() -> None:
    comparison = compare_match(match(score=9999), history(2), {Stat.KILLS: 1.0})

    assert comparison.new_bests == (Stat.KILLS,)


@pytest.mark.parametrize(
    ("results", "wins", "losses"),
    [
        (["win", "win", "win", "loss", "win"], 3, 0),
        (["win", "loss", "win"], 1, 0),
        (["loss", "loss", "win"], 0, 2),
        (["draw", "win", "win"], 0, 0),
        (["win"], 1, 0),
    ],
)
def test_streaks_count_this_match_and_the_run_before_it(
    results: list[str], wins: int, losses: int
) -> None:
    new = match(result=results[0])
    # Given oldest first on purpose: the comparison orders them itself.
    previous = [match(result=r, hours_ago=i + 1) for i, r in enumerate(results[1:])][::-1]

    comparison = compare_match(new, previous, {})

    assert (comparison.win_streak, comparison.loss_streak) == (wins, losses)


def test_strengths_and_weaknesses_are_the_largest_changes_respecting_direction() -> None:
    new = match(kills=30, deaths=10, score=5000, assists=2, captures=2, objective_time_s=88)
    previous = history(
        4, kills=20, deaths=16, score=5100, assists=5, captures=2, objective_time_s=80
    )

    comparison = compare_match(new, previous, {})

    assert [s.stat for s in comparison.strengths] == [Stat.KD, Stat.KILLS, Stat.DEATHS]
    # Score is 2% down: noise, not a weakness.
    assert [s.stat for s in comparison.weaknesses] == [Stat.ASSISTS]


def test_summary_reads_as_one_line() -> None:
    new = match(kills=30, deaths=20, score=8000)
    previous = [
        match(kills=20, deaths=20, hours_ago=1),
        match(kills=20, deaths=20, hours_ago=2),
        match(result="loss", hours_ago=3),
    ]

    comparison = compare_match(new, previous, {Stat.SCORE: 7000.0, Stat.KD: 1.2})

    assert comparison.summary == (
        "K/D 1.50 vs your 1.07 average (+40%) · new bests: K/D and score · 3 wins in a row"
    )


def test_facts_are_plain_json_with_the_labels_players_know() -> None:
    new = match(kills=30, deaths=20, score=8000, accuracy=(24.44,))
    comparison = compare_match(new, history(3, kills=20, deaths=20), {Stat.SCORE: 7000.0})

    facts = comparison.facts()

    assert json.loads(json.dumps(facts)) == facts
    assert facts["this_match"]["K/D"] == 1.5
    assert facts["this_match"]["Score"] == 8000
    assert facts["this_match"]["Accuracy"] == 24.4
    assert facts["your_averages"]["K/D"] == 1.0
    assert facts["change_vs_average_pct"]["K/D"] == 50
    assert facts["new_personal_bests"] == ["Score"]
    assert facts["win_streak"] == 4
    assert facts["mode"] == "Hardpoint"
    assert facts["summary"] == comparison.summary
