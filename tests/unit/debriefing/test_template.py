"""The debrief written without the AI: always complete, sensible, and not a form letter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.ai import DebriefText
from app.core.debriefing import compare_match, template_debrief
from app.core.debriefs import DebriefFields, DebriefSource
from app.core.game.metrics import Stat, stat_value, stats_for_mode
from app.core.game.rules import Mode
from app.core.matches import Match
from tests.unit.game.strategies import raw_matches

from .builders import history, match, match_from_raw


def debrief_of(new: Match, previous: Sequence[Match] = ()) -> DebriefText:
    return template_debrief(new, compare_match(new, previous, bests_of(previous, new.stats.mode)))


def bests_of(previous: Sequence[Match], mode: Mode) -> dict[Stat, float]:
    bests: dict[Stat, float] = {}
    for stat in stats_for_mode(mode):
        values = [v for m in previous if (v := stat_value(m.stats, stat)) is not None]
        if values:
            bests[stat] = max(values) if stat.higher_is_better else min(values)
    return bests


def lines(debrief: DebriefText) -> list[str]:
    return [*debrief.strengths, *debrief.to_work_on]


@st.composite
def matches_with_history(draw: st.DrawFn) -> tuple[Match, list[Match]]:
    mode = draw(st.sampled_from(Mode))
    new = match_from_raw(draw(raw_matches(mode)))
    previous = [
        match_from_raw(draw(raw_matches(mode)), hours_ago=i + 1)
        for i in range(draw(st.integers(0, 6)))
    ]
    return new, previous


@settings(max_examples=60, deadline=None)
@given(matches_with_history())
def test_every_debrief_is_complete_and_fits(case: tuple[Match, list[Match]]) -> None:
    new, previous = case

    debrief = debrief_of(new, previous)

    assert 2 <= len(debrief.strengths) <= 3
    assert 2 <= len(debrief.to_work_on) <= 3
    assert all(line and len(line) <= 160 for line in lines(debrief))
    assert len(set(lines(debrief))) == len(lines(debrief))
    assert debrief.usage.model == "template"
    DebriefFields(
        match_id=new.id,
        guild_id=new.guild_id,
        user_id=new.user_id,
        headline=debrief.headline,
        strengths=list(debrief.strengths),
        to_work_on=list(debrief.to_work_on),
        source=DebriefSource.TEMPLATE,
        created_at=datetime(2026, 1, 1),
    )


def test_the_same_match_always_reads_the_same() -> None:
    new, previous = match(kills=31, deaths=22), history(5)

    assert debrief_of(new, previous) == debrief_of(new, previous)


def test_the_wording_varies_between_matches() -> None:
    debriefs = [debrief_of(match(kills=31, deaths=22)) for _ in range(20)]

    assert len({d.headline for d in debriefs}) >= 2


def test_a_poor_kd_is_never_praised_and_is_worked_on() -> None:
    debrief = debrief_of(match(kills=12, deaths=20, accuracy=(14.0,)))

    assert not any("fights" in line or "K/D" in line for line in debrief.strengths)
    assert any("12" in line and "20" in line for line in debrief.to_work_on)
    assert any("Accuracy 14.0%" in line for line in debrief.to_work_on)


def test_a_big_rise_over_the_average_is_a_strength() -> None:
    new, previous = match(kills=40, deaths=16), history(5, kills=20, deaths=16)
    # Better bests from older matches: a rise, not a record.
    bests = {Stat.KD: 3.0, Stat.KILLS: 50.0}

    debrief = template_debrief(new, compare_match(new, previous, bests))

    assert any("K/D" in line and "100%" in line for line in debrief.strengths)


def test_a_decent_kd_far_under_the_players_average_is_something_to_work_on() -> None:
    # 1.2 wins more fights than it loses, but it is 40% under this player's usual 2.0.
    debrief = debrief_of(match(kills=24, deaths=20), history(5, kills=40, deaths=20))

    assert any("K/D" in line and "40%" in line for line in debrief.to_work_on)
    assert not any("fights" in line or "K/D" in line for line in debrief.strengths)


def test_a_new_best_leads_the_headline_and_the_strengths() -> None:
    debrief = debrief_of(match(score=9000), history(3, score=5000))

    assert debrief.headline == "New best score in a 250\N{EN DASH}201 win on Den"
    assert any("9,000" in line for line in debrief.strengths)


def test_fewest_deaths_reads_naturally() -> None:
    new, previous = match(kills=20, deaths=3), history(3, kills=20, deaths=16)
    bests = {Stat.KD: 9.0, Stat.DEATHS: 5.0}

    debrief = template_debrief(new, compare_match(new, previous, bests))

    assert debrief.headline.startswith("Fewest deaths yet in a ")
    assert "Only 3 deaths — your fewest in Hardpoint yet." in debrief.strengths


def test_several_new_bests_share_one_line_and_leave_room_for_the_rest() -> None:
    new = match(kills=28, deaths=18, score=6200, objective_time_s=120)
    previous = history(8, kills=22, deaths=16, score=5200, objective_time_s=125)

    debrief = debrief_of(new, previous)

    assert debrief.strengths == (
        "New personal bests: K/D 1.56, score 6,200 and kills 28.",
        "9 wins in a row.",
        "Played the hill: 2:00 in it.",
    )


def test_a_losing_run_is_called_out() -> None:
    debrief = debrief_of(match(result="loss"), history(3, result="loss"))

    assert "4 losses in a row: review this one before queueing again." in debrief.to_work_on


def test_dying_most_rounds_of_search_and_destroy_is_worked_on() -> None:
    debrief = debrief_of(match(Mode.SEARCH_AND_DESTROY, result="loss", deaths=9, kills=2))

    assert any("Died in 9 of 10 rounds" in line for line in debrief.to_work_on)


def test_a_first_match_still_gets_a_full_debrief() -> None:
    debrief = debrief_of(match(Mode.OVERLOAD, overloads=2, device_carry_time_s=95))

    assert debrief.strengths == (
        "Scored 2 overloads for the team.",
        "Carried the device for 1:35.",
        "Won more fights than you lost (20\N{EN DASH}16).",
    )
    assert len(debrief.to_work_on) == 2


def test_kd_leads_what_to_work_on_when_it_fell() -> None:
    # Deaths rose 56% and K/D fell 52%: K/D is the one players judge a game by.
    new = match(result="loss", kills=15, deaths=25, objective_time_s=20, captures=0)

    debrief = debrief_of(new, history(6))

    captures, kd, _ = debrief.to_work_on
    assert captures.startswith("Captures")
    assert kd.startswith("K/D") and "52%" in kd and "1.25" in kd


def test_no_fights_at_all_is_neither_won_nor_lost() -> None:
    debrief = debrief_of(match(kills=0, deaths=0, assists=0, accuracy=()))

    assert not any("fights" in line for line in lines(debrief))


def test_surviving_every_round_of_search_and_destroy_is_a_strength() -> None:
    debrief = debrief_of(match(Mode.SEARCH_AND_DESTROY, deaths=0, kills=9))

    assert "Survived all 10 rounds." in debrief.strengths
