"""Which edits of the private line end a /debrief, and which only tell its place in line."""

from __future__ import annotations

import pytest

from app.bot.queue_notices import DEBRIEF_ACK, queued_line
from bench._interactions_reading import WEBHOOK, is_outcome, is_queue_notice, post_arrivals
from devtools.discord_emulator import BotResponse
from devtools.discord_emulator.request_log import LoggedRequest, RequestLog

SAVED = "Saved as match 0123456789abcdef01234567. Use Fix under it to correct anything."
AI_UNAVAILABLE = "The AI is unavailable right now; please try again in a minute."


def edit(content: str) -> BotResponse:
    return BotResponse(kind="edit", at=0.0, payload={"content": content})


@pytest.mark.parametrize("ahead", [0, 1, 999])
def test_a_place_in_line_is_progress_not_an_outcome(ahead: int) -> None:
    notice = edit(queued_line(ahead))

    assert is_queue_notice(notice)
    assert not is_outcome(notice)


def test_reading_again_after_the_wait_is_progress() -> None:
    assert not is_outcome(edit(DEBRIEF_ACK))
    assert not is_queue_notice(edit(DEBRIEF_ACK))


@pytest.mark.parametrize("content", [SAVED, AI_UNAVAILABLE])
def test_saved_or_an_error_ends_the_interaction(content: str) -> None:
    assert is_outcome(edit(content))
    assert not is_queue_notice(edit(content))


def logged(
    method: str, path: str, template: str | None, at: float, status: int = 200
) -> LoggedRequest:
    return LoggedRequest(method, path, template, status, at, 0.03)


def test_a_debriefs_arrival_is_its_first_accepted_follow_up_post_by_token() -> None:
    log = RequestLog()
    for entry in (
        logged("POST", "/api/v10/webhooks/9/tok-a", WEBHOOK, 1.0, status=429),
        logged("PATCH", "/api/v10/webhooks/9/tok-a/messages/@original", None, 1.1),
        logged("POST", "/api/v10/webhooks/9/tok-a", WEBHOOK, 2.0),
        logged("POST", "/api/v10/webhooks/9/tok-a", WEBHOOK, 3.0),
        logged("POST", "/api/v10/webhooks/9/tok-b", WEBHOOK, 4.0),
        logged("POST", "/api/v10/channels/5/messages", "/channels/{channel_id}/messages", 5.0),
    ):
        log.record(entry)

    assert post_arrivals(log) == {"tok-a": 2.0, "tok-b": 4.0}
