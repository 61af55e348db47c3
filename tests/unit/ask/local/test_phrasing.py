"""Templated sentences: plurals, units, who is ahead, which way a trend goes, missing rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.core.ask.answer import answer_rows
from app.core.ask.local import Asker, plan_locally
from app.core.ask.local.wording import duration, matches, ordinal
from app.core.wording import counted

NOW = datetime(2026, 12, 6, 14, 30, tzinfo=UTC)
ME, OTHER = 10, 42


def say(question: str, documents: list[dict[str, Any]], *, id_label: str = "group") -> str:
    plan = plan_locally(question, Asker(ME), NOW, {"Den": "Den"})
    assert plan is not None
    return plan.phrase(answer_rows(question, plan.title, documents, id_label=id_label))


def test_plurals_units_and_ordinals() -> None:
    assert matches(1) == "1 match"
    assert counted(1200, "kill") == "1,200 kills"
    assert [duration(s) for s in (45, 95, 3725)] == ["45 s", "1 min 35 s", "1 h 02 min"]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "112th",
    ]  # fmt: skip


def test_a_time_stat_is_said_in_minutes_and_seconds() -> None:
    sentence = say(
        "my average hill time this week",
        [{"avg_objective_time_s": 95.4, "total_objective_time_s": 286, "matches": 3}],
    )

    assert sentence == (
        "Your average hill time in Hardpoint this week is 1 min 35 s over 3 matches "
        "(4 min 46 s in total)."
    )


def test_fewer_deaths_is_an_improvement() -> None:
    rows = [{"played_at": NOW, "deaths": d} for d in (20, 22, 14, 12)]

    sentence = say("are my deaths improving", rows)

    assert sentence == (
        "Your deaths per match over the last 20 matches is improving: "
        "21 over the first 2 matches, 13 over the last 2 matches."
    )


def test_a_small_change_is_steady() -> None:
    rows = [{"played_at": NOW, "kd": v} for v in (1.0, 1.02)]

    assert "holding steady" in say("my kd trend", rows)


def test_one_match_or_day_is_too_few_for_a_trend() -> None:
    sentence = say("my kd trend", [{"played_at": NOW, "kd": 1.5}])
    assert (
        sentence == "Your K/D over the last 20 matches needs at least two matches to show a trend."
    )

    sentence = say("my kd trend this week", [{"day": NOW, "kd": 1.5, "matches": 3}])
    assert sentence == "Your K/D this week needs matches on at least two days to show a trend."


def test_head_to_head_when_the_other_player_has_no_matches() -> None:
    rows = [{"user_id": ME, "avg_kills": 20.0, "total_kills": 40, "matches": 2}]

    sentence = say(f"me vs <@{OTHER}> kills this week", rows)

    assert sentence == f"<@{OTHER}> played no matches this week to compare."


def test_head_to_head_says_who_is_ahead_by_what_is_better() -> None:
    rows = [
        {"user_id": OTHER, "avg_deaths": 12.0, "total_deaths": 24, "matches": 2},
        {"user_id": ME, "avg_deaths": 18.0, "total_deaths": 36, "matches": 2},
    ]

    sentence = say(f"me vs <@{OTHER}> deaths", rows)

    assert sentence == (
        f"Your average deaths overall is 18 over 2 matches, "
        f"against <@{OTHER}>'s 12 over 2 matches: <@{OTHER}> is ahead."
    )


def test_a_leader_who_is_the_asker_is_you() -> None:
    rows = [{"user_id": ME, "win_rate": 75.0, "wins": 3, "matches": 4}]

    assert say("who has the best win rate", rows) == (
        "You have the highest win rate overall: 75% over 4 matches."
    )


def test_no_rows_say_there_are_no_matches() -> None:
    assert say("my kd on Den last week", []) == (
        "There are no matches of yours on Den last week to answer from yet."
    )
    assert say("who leads kills", []) == "There are no matches to answer from yet."


def test_counting_matches_is_said_as_matches_played() -> None:
    maps = [{"map": "Den", "matches": 3}, {"map": "Scar", "matches": 2}]
    assert say("which maps have I played the most", maps) == (
        "Your most played map overall is Den (3 matches); next is Scar (2)."
    )
    players = [{"user_id": OTHER, "matches": 7}, {"user_id": ME, "matches": 3}]
    assert say("who played the most matches this week", players) == (
        f"<@{OTHER}> played the most matches this week: 7. You are 2nd with 3."
    )
    assert say(f"me or <@{OTHER}>: who played more matches", players) == (
        f"You played 3 matches overall, against 7 for <@{OTHER}>."
    )
