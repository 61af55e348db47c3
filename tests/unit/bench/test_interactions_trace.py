"""`--trace`: one debrief's steps from the emulator's, the stub's and the profiler's records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench._interactions_trace import Step, between_calls, database_steps, gemini_steps, timeline
from devtools.gemini_stub.state import RecordedRequest

T0 = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


def request(at: datetime) -> RecordedRequest:
    return RecordedRequest(
        method="generateContent", model="m", api_version="v1beta", received_at=at, status=200
    )


def test_the_profilers_naive_utc_times_line_up_with_the_other_clocks() -> None:
    entry = {
        "ts": (T0 + timedelta(milliseconds=40)).replace(tzinfo=None),
        "millis": 3,
        "ns": "db.matches",
        "command": {"find": "matches", "filter": {"user_id": 1, "guild_id": 2}},
    }

    [step] = database_steps([entry])

    assert step.what == "db matches find guild_id,user_id"
    assert step.start - T0.timestamp() == pytest.approx(0.037, abs=1e-6)
    assert step.end - T0.timestamp() == pytest.approx(0.040, abs=1e-6)


def test_the_bots_background_rounds_and_the_profile_itself_are_left_out() -> None:
    polling = {"ns": "db.outbox", "ts": T0, "command": {"find": "outbox", "filter": {"due": 1}}}
    profile = {"ns": "db.system.profile", "ts": T0, "command": {"find": "system.profile"}}
    delivered = {
        "ns": "db.outbox",
        "ts": T0,
        "command": {"update": "outbox", "updates": [{"q": {"_id": 1}, "u": {}}]},
    }

    assert [s.what for s in database_steps([polling, profile, delivered])] == [
        "db outbox update _id"
    ]


def test_the_timeline_is_in_order_with_the_gaps_nothing_recorded_filled() -> None:
    created = T0.timestamp()
    steps = [
        Step(created + 0.600, created + 0.601, "db matches insert"),
        *gemini_steps([request(T0 + timedelta(milliseconds=50))], latency_s=0.5),
    ]

    rows = timeline(created, steps)

    assert rows == [
        ("50", "550", "50", "gemini generateContent (text)"),
        ("600", "601", "50", "db matches insert"),
    ]


def test_between_the_calls_is_from_the_first_answer_to_the_second_request() -> None:
    first, second = request(T0), request(T0 + timedelta(milliseconds=560))

    assert between_calls([first, second], latency_s=0.5) == pytest.approx(0.060, abs=1e-6)
    assert between_calls([first], latency_s=0.5) is None
