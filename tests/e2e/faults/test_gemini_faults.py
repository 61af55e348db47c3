"""Gemini slow or failing under a /debrief (429 and "down for good" are in tests/e2e/bot).

Reading the screenshots is the command: when it fails, the player is told and nothing is
saved. Writing the debrief comes after the save: when it fails, the template writes it.
"""

from __future__ import annotations

import time

from app.shared.db.connection import Database
from devtools.discord_emulator import Member
from devtools.gemini_stub import ErrorAnswer, Match, Rule, Step
from tests.e2e.bot.support import (
    AI_DEBRIEF,
    DEBRIEF_ACK,
    OVERLOAD_SCOREBOARD,
    SAVED_AS,
    SLOW,
    attach_sample,
    count,
    debrief,
    eventually,
    extraction_requests,
    only_embed,
    prepared_sha256,
    private_outcome,
    saved_matches,
)
from tests.e2e.faults.processes import FaultStack
from tests.e2e.faults.support import (
    AI_UNAVAILABLE,
    GEMINI_TIMEOUT_MS,
    Figures,
    debrief_slowly,
    read_slowly,
    reply_status_is,
)

LONGER_THAN_THE_TIMEOUT_S = GEMINI_TIMEOUT_MS / 1000 + 2


async def test_reading_that_times_out_says_ai_unavailable_and_saves_nothing(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    read_slowly(stack, OVERLOAD_SCOREBOARD, latency_s=LONGER_THAN_THE_TIMEOUT_S)
    started = time.monotonic()

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    private = await private_outcome(handle, DEBRIEF_ACK, within=SLOW)
    figures.seconds_since(started, f"command → 'AI unavailable' (timeout {GEMINI_TIMEOUT_MS} ms)")
    assert private.content == AI_UNAVAILABLE
    # google-genai retries HTTP statuses only: a timeout is not tried again.
    assert extraction_requests(stack.sandbox) == 1
    assert not handle.followups
    assert await saved_matches(database, member) == []
    assert await reply_status_is(database, handle, "failed"), "no reply left owed"


async def test_reading_that_fails_with_503_twice_succeeds_on_the_third_attempt(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    # Newest rules answer first; once used up, the sample rule behind it answers.
    stack.stub.add_rule(
        Rule(
            Match(image_sha256=(prepared_sha256(OVERLOAD_SCOREBOARD),)),
            (Step(ErrorAnswer(503), times=2),),
        )
    )
    started = time.monotonic()

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    private = await private_outcome(handle, DEBRIEF_ACK, within=SLOW)
    figures.seconds_since(started, "command → saved (503, 503, 200)")
    assert SAVED_AS.match(private.content), private.content
    statuses = [r.status for r in stack.stub.requests if r.image_count]
    assert statuses == [503, 503, 200]
    assert len(await saved_matches(database, member)) == 1
    assert len(handle.followups) == 1


async def test_a_debrief_that_times_out_is_written_by_the_template(
    stack: FaultStack, database: Database, member: Member
) -> None:
    debrief_slowly(stack, latency_s=LONGER_THAN_THE_TIMEOUT_S)

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    posted = await handle.wait_for_followup(timeout=SLOW)
    [match] = await saved_matches(database, member)
    embed = only_embed(stack.sandbox, posted)
    assert embed["description"] != AI_DEBRIEF["headline"]
    assert embed["description"], "the template's headline"
    assert await count(database, "debriefs", match_id=str(match["_id"]), source="template") == 1
    await eventually(
        lambda: reply_status_is(database, handle, "delivered"), what="the reply delivered"
    )
