"""ISO weeks around year ends, the digest's facts, and its fallback text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.core.analytics import LeaderboardRow, WeekTotals
from app.core.debriefing import InvalidWeek, IsoWeek, iso_week
from app.core.debriefing.digest import (
    digest_period,
    scheduled_period,
    template_digest,
    weekly_facts,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (utc(2026, 11, 22, 23, 59), "2026-W47"),  # a Sunday: the end of its week
        (utc(2026, 11, 23), "2026-W48"),
        (utc(2026, 12, 31, 12), "2026-W53"),  # 2026 starts on a Thursday: it has 53 weeks
        (utc(2027, 1, 3, 23), "2026-W53"),  # still the previous ISO year
        (utc(2027, 1, 4), "2027-W01"),
        (utc(2024, 12, 30), "2025-W01"),  # already the next ISO year
        (utc(2021, 1, 3), "2020-W53"),
    ],
)
def test_iso_week_labels(moment: datetime, label: str) -> None:
    assert iso_week(moment) == label


def test_weeks_are_counted_in_utc() -> None:
    # 00:30 on a Monday in UTC+2 is still Sunday evening in UTC.
    monday_in_athens = datetime(2026, 11, 23, 0, 30, tzinfo=timezone(timedelta(hours=2)))

    assert iso_week(monday_in_athens) == "2026-W47"


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        iso_week(datetime(2026, 11, 22))


@pytest.mark.parametrize(
    ("until", "label"),
    [
        # Friday evening: the week the squad just played, today included.
        (utc(2026, 11, 20, 20), "2026-W47"),
        # Monday 00:00: the ISO week that just ended, Monday to Sunday.
        (utc(2026, 11, 23), "2026-W47"),
        (utc(2026, 11, 23, 0, 1), "2026-W48"),
        (utc(2027, 1, 1, 18), "2026-W53"),
    ],
)
def test_a_digest_covers_the_seven_days_up_to_its_post(until: datetime, label: str) -> None:
    period = digest_period(until)

    assert period == IsoWeek(label=label, since=until - timedelta(days=7), until=until)


def test_a_scheduled_digest_ends_at_its_hour_so_consecutive_ones_meet() -> None:
    # The schedule looks every few minutes: whenever in the hour it posts, the period is the same.
    friday = scheduled_period(utc(2026, 11, 20, 20, 4))
    next_friday = scheduled_period(utc(2026, 11, 27, 20, 57))

    assert friday == digest_period(utc(2026, 11, 20, 20))
    assert next_friday.since == friday.until
    assert (friday.label, next_friday.label) == ("2026-W47", "2026-W48")


def test_a_periods_last_day_is_the_day_of_its_last_moment() -> None:
    facts = weekly_facts(TOTALS, week=digest_period(utc(2026, 11, 20, 20)))

    assert (facts["first_day"], facts["last_day"]) == ("2026-11-13", "2026-11-20")


@pytest.mark.parametrize("label", ["2026-W47", "2026-W53", "2027-W01", " 2020-W53 "])
def test_a_label_parses_back_to_its_week(label: str) -> None:
    week = IsoWeek.parse(label)

    assert week.label == label.strip()
    assert week.since.weekday() == 0
    assert iso_week(week.since) == iso_week(week.until - timedelta(microseconds=1)) == week.label


@pytest.mark.parametrize("label", ["2025-W53", "2026-W00", "2026-W54", "2026-47", "W47", ""])
def test_a_week_that_does_not_exist_is_refused(label: str) -> None:
    with pytest.raises(InvalidWeek):
        IsoWeek.parse(label)


WEEK = IsoWeek.parse("2026-W47")
TOTALS = WeekTotals(
    matches=23,
    players=5,
    wins=14,
    losses=8,
    kills=412,
    deaths=368,
    top_players=[
        LeaderboardRow(user_id=11, value=1.534, matches=6),
        LeaderboardRow(user_id=12, value=1.2, matches=1),
    ],
)


def test_facts_hold_the_weeks_numbers_and_nothing_to_invent() -> None:
    facts = weekly_facts(TOTALS, week=WEEK, names={11: "Ghost"})

    assert json.loads(json.dumps(facts)) == facts
    assert facts == {
        "week": "2026-W47",
        "first_day": "2026-11-16",
        "last_day": "2026-11-22",
        "matches": 23,
        "players": 5,
        "wins": 14,
        "losses": 8,
        "draws": 1,
        "win_rate_pct": 61,
        "kills": 412,
        "deaths": 368,
        "squad_kd": 1.12,
        "top_players_by_kd": [
            {"player": "Ghost", "kd": 1.53, "matches": 6},
            {"player": "<@12>", "kd": 1.2, "matches": 1},
        ],
    }


def test_the_fallback_digest_says_the_same_in_a_few_lines() -> None:
    text = template_digest(TOTALS, week=WEEK, names={11: "Ghost"})

    assert text.splitlines() == [
        "**Week 2026-W47**: 23 matches by 5 players, 14 won and 8 lost (61% won).",
        "Squad K/D 1.12 (412 kills, 368 deaths).",
        "Top K/D: 1. Ghost 1.53 (6 matches) · 2. <@12> 1.20 (1 match)",
    ]


def test_a_quiet_week_gets_a_nudge_instead_of_zeros() -> None:
    empty = WeekTotals(matches=0, players=0, wins=0, losses=0, kills=0, deaths=0, top_players=[])

    assert weekly_facts(empty, week=WEEK)["win_rate_pct"] == 0
    assert template_digest(empty, week=WEEK) == (
        "**Week 2026-W47**: no matches logged. Post your scoreboards with /debrief to be in "
        "next week's digest."
    )
