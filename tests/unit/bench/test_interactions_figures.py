"""The /debrief benchmark's figures from hand-made records: what each number counts."""

from __future__ import annotations

import math

import pytest

from bench._interactions_figures import (
    RestCall,
    Timing,
    cpu_use,
    first_callbacks,
    summarize,
)

T0 = 1_800_000_000.0


def callback(interaction_id: int, at: float, status: int = 200) -> RestCall:
    return RestCall(
        T0 + at,
        f"/api/v10/interactions/{interaction_id}/aW50.token/callback",
        "/interactions/{interaction_id}/{interaction_token}/callback",
        status,
        0.002,
    )


def followup(at: float) -> RestCall:
    return RestCall(
        T0 + at, "/api/v10/webhooks/1/tok", "/webhooks/{webhook_id}/{webhook_token}", 200, 0.004
    )


def timing(
    interaction_id: int,
    *,
    ack: RestCall | None,
    posted: float | None = None,
    outcome: str | None = None,
    posts: int = 1,
    queue_notices: int = 0,
    arrived: float | None = None,
) -> Timing:
    return Timing(
        interaction_id=interaction_id,
        dispatched_at=T0,
        callback=ack,
        posted_at=None if posted is None else T0 + posted,
        public_posts=posts if posted is not None else 0,
        outcome=outcome,
        queue_notices=queue_notices,
        post_arrived_at=None if arrived is None else T0 + arrived,
    )


def test_first_callbacks_keeps_each_interactions_first_attempt() -> None:
    calls = [callback(1, 0.1, 404), callback(1, 0.2), callback(2, 0.3), followup(0.4)]

    first = first_callbacks(calls)

    assert first == {1: calls[0], 2: calls[2]}


def test_bot_token_calls_count_toward_the_global_limit_and_interaction_calls_do_not() -> None:
    message = RestCall(T0, "/api/v10/channels/5/messages", "/channels/{channel_id}/messages", 200)
    cdn = RestCall(T0, "/ephemeral-attachments/1/2/a.png", None, 200)

    assert message.counts_toward_global_limit
    assert not callback(1, 0).counts_toward_global_limit
    assert not followup(0).counts_toward_global_limit
    assert not cdn.is_rest and not cdn.counts_toward_global_limit


def test_a_clean_run() -> None:
    timings = [
        timing(1, ack=callback(1, 0.1), posted=2.0, outcome="Saved as match a"),
        timing(2, ack=callback(2, 0.3), posted=3.0, outcome="Saved as match b"),
    ]
    calls = [callback(1, 0.1), callback(2, 0.3), followup(2.0), followup(3.0)]

    figures = summarize(timings, calls, {1: 1, 2: 1}, gemini_latency_s=0.5, gemini_requests=4)

    assert (figures.acknowledged, figures.acks_over_deadline, figures.acks_refused) == (2, 0, 0)
    assert figures.ack_max_s == pytest.approx(0.3)
    assert figures.end_to_end_p50_s == pytest.approx(2.5)
    assert figures.bot_time_p50_s == pytest.approx(1.5), "minus two Gemini calls of 0.5 s"
    assert figures.debriefs_per_s == pytest.approx(2 / 3.0)
    assert (figures.rest_requests, figures.rest_peak_per_s, figures.limited_requests) == (4, 2, 0)
    assert figures.emulator_p50_s == pytest.approx(0.003)
    assert (figures.saved_matches, figures.lost_matches, figures.duplicated_matches) == (2, 0, 0)
    assert figures.failures == {}
    assert dict(figures.rows())["lost matches (user told saved, none in the database)"] == "0"


def test_the_bots_own_time_stops_where_its_debrief_request_arrived() -> None:
    # The emulator took 0.2 s to check and store the first debrief: Discord's time.
    timings = [
        timing(1, ack=callback(1, 0.1), posted=2.2, arrived=2.0, outcome="Saved as match a"),
        timing(2, ack=callback(2, 0.1), posted=1.5, arrived=1.4, outcome="Saved as match b"),
    ]

    figures = summarize(timings, [], {1: 1, 2: 1}, gemini_latency_s=0.5, gemini_requests=4)

    assert figures.bot_time_p50_s == pytest.approx(0.85)
    assert figures.bot_to_arrival_p50_s == pytest.approx(0.7)
    assert figures.bot_to_arrival_p99_s == pytest.approx(0.994)
    row = "the same, to the debrief request's arrival p50 / p99"
    assert dict(figures.rows())[row] == "0.700 s / 0.994 s"


def test_late_refused_and_failed_interactions_are_told_apart() -> None:
    timings = [
        timing(1, ack=callback(1, 3.5, 404)),
        timing(2, ack=None),
        timing(3, ack=callback(3, 0.2), outcome="The AI is unavailable right now."),
        timing(4, ack=callback(4, 0.2)),
        timing(5, ack=callback(5, 0.4), posted=9.0, outcome="Saved as match e"),
    ]

    figures = summarize(timings, [], {5: 1}, gemini_latency_s=0.5, gemini_requests=3)

    assert (figures.acknowledged, figures.acks_refused, figures.acks_over_deadline) == (3, 1, 1)
    assert figures.posted == 1
    assert figures.failures == {
        "(acknowledged too late: 404)": 1,
        "(never acknowledged)": 1,
        "The AI is unavailable right now.": 1,
        "(no answer after the acknowledgement)": 1,
    }
    assert figures.lost_matches == 0, "nobody was told their match was saved"


def test_lost_duplicated_and_untold_matches() -> None:
    timings = [
        timing(1, ack=callback(1, 0.1), posted=1.0, outcome="Saved as match a"),
        timing(2, ack=callback(2, 0.1), outcome="Saved as match b"),
        timing(3, ack=callback(3, 0.1), posted=1.5, posts=2),
        timing(4, ack=callback(4, 0.1), outcome="The AI is unavailable right now."),
    ]

    figures = summarize(timings, [], {3: 2, 4: 1}, gemini_latency_s=0.0, gemini_requests=0)

    assert figures.lost_matches == 2, "1 was posted and 2 told saved, neither is stored"
    assert figures.duplicated_matches == 1
    assert figures.duplicated_posts == 1
    assert figures.saved_not_told == 1, "4 was stored although the user was told it failed"
    assert figures.saved_matches == 2


def test_429s_and_the_bot_token_peak_are_counted() -> None:
    limited = [
        RestCall(
            T0 + i / 100, "/api/v10/channels/5/messages", "/channels/{channel_id}/messages", 200
        )
        for i in range(60)
    ]
    refused = RestCall(T0 + 0.7, "/api/v10/channels/5/messages", None, 429)

    figures = summarize([], [*limited, refused], {}, gemini_latency_s=0.5, gemini_requests=0)

    assert (figures.limited_requests, figures.limited_peak_per_s) == (61, 61)
    assert figures.rate_limited_429 == 1
    assert math.isnan(figures.ack_p50_s) and figures.interactions == 0


def test_cpu_use_is_the_difference_and_a_share_of_one_core() -> None:
    use = cpu_use({"bot": 1.0, "database": 2.0}, {"bot": 6.0, "database": 3.0}, wall_s=10.0)

    assert use.rows() == [("bot", "5.0", "50%"), ("database", "1.0", "10%")]


def test_users_who_waited_in_line_and_the_notices_they_got() -> None:
    timings = [
        timing(1, ack=callback(1, 0.01), posted=1.0),
        timing(2, ack=callback(2, 0.01), posted=2.0, queue_notices=1),
        timing(3, ack=callback(3, 0.02), posted=3.0, queue_notices=3),
    ]

    figures = summarize(timings, [], {1: 1, 2: 1, 3: 1}, gemini_latency_s=0.5, gemini_requests=6)

    assert (figures.waited_in_line, figures.queue_notices) == (2, 4)
    assert sum(figures.failures.values()) == 0
