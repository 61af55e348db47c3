"""Discord misbehaving under a /debrief: a dropped gateway, 429 storms, 5xx answers.

The outcome is always the same: one match, and its reply posted exactly once.
"""

from __future__ import annotations

import time

from app.shared.db.connection import Database
from devtools.discord_emulator import InteractionHandle, Member
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    OVERLOAD_SCOREBOARD,
    SAVED_AS,
    SLOW,
    attach_sample,
    debrief,
    eventually,
    only_embed,
    private_outcome,
    saved_matches,
)
from tests.e2e.faults.processes import FaultStack
from tests.e2e.faults.support import (
    EDIT_MESSAGE,
    FOLLOW_UP,
    Figures,
    follow_ups_sent,
    read_slowly,
    reply_status_is,
)

# discord.py gives up on a webhook call after five attempts, sleeping 1, 3, 5, 7 and 9 s.
WEBHOOK_ATTEMPTS = 5


async def answered_once(
    stack: FaultStack, database: Database, member: Member, handle: InteractionHandle
) -> str:
    """The match id, once the reply is out; checks that everything happened exactly once."""
    posted = await handle.wait_for_followup(timeout=SLOW)
    private = await private_outcome(handle, DEBRIEF_ACK, within=SLOW)
    saved = SAVED_AS.match(private.content)
    assert saved, private.content
    match_id = saved.group(1)
    assert match_id in only_embed(stack.sandbox, posted)["footer"]["text"]
    assert [str(m["_id"]) for m in await saved_matches(database, member)] == [match_id]
    assert len(handle.followups) == 1, "the match is posted once"
    assert follow_ups_sent(stack, handle, 200) == 1
    await eventually(
        lambda: reply_status_is(database, handle, "delivered"), what="the reply delivered"
    )
    return match_id


async def test_a_gateway_drop_mid_debrief_is_resumed_and_answered_once(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    [session] = stack.emulator.gateway.sessions
    resumes = len(session.dispatched("RESUMED"))
    read_slowly(stack, OVERLOAD_SCOREBOARD, latency_s=1.0)

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))
    await handle.wait_for_ack()
    dropped = time.monotonic()
    stack.emulator.gateway.abort()

    await eventually(lambda: len(session.dispatched("RESUMED")) > resumes, what="the bot to resume")
    figures.seconds_since(dropped, "socket dropped mid-command → session RESUMED")
    await answered_once(stack, database, member, handle)
    assert stack.emulator.gateway.sessions == [session], "resumed, not identified anew"
    assert session.connection is not None


async def test_an_interaction_created_while_the_gateway_is_down_is_replayed_once(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    [session] = stack.emulator.gateway.sessions
    resumes = len(session.dispatched("RESUMED"))
    dropped = time.monotonic()
    stack.emulator.gateway.abort()

    # Created once the socket is gone: only the RESUME replay can bring it to the bot.
    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    await handle.wait_for_ack()
    figures.seconds_since(dropped, "socket dropped → replayed interaction acknowledged")
    await answered_once(stack, database, member, handle)
    assert len(session.dispatched("RESUMED")) == resumes + 1
    assert stack.emulator.gateway.sessions == [session]
    assert len(handle.responses) == 3, "one acknowledgement, one follow-up, one edit"


async def test_a_429_storm_on_the_replies_is_waited_out_and_nothing_is_posted_twice(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    stack.emulator.faults.rate_limit(count=4, method="POST", path=FOLLOW_UP, retry_after=0.25)
    stack.emulator.faults.rate_limit(count=3, method="PATCH", path=EDIT_MESSAGE, retry_after=0.25)
    started = time.monotonic()

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    await answered_once(stack, database, member, handle)
    figures.seconds_since(started, "command → reply out (7 × 429, retry_after 0.25 s)")
    assert follow_ups_sent(stack, handle, 429) == 4
    edits = f"/webhooks/*/{handle.token}/messages/*"
    assert stack.emulator.request_log.count("PATCH", edits, status=429) == 3
    assert stack.emulator.request_log.count("PATCH", edits, status=200) == 1


async def test_5xx_on_the_follow_up_is_retried_and_the_match_posted_once(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    stack.emulator.faults.server_error(500, count=1, method="POST", path=FOLLOW_UP)
    stack.emulator.faults.server_error(502, count=1, method="POST", path=FOLLOW_UP)
    started = time.monotonic()

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    await answered_once(stack, database, member, handle)
    figures.seconds_since(started, "command → reply out (500, then 502)")
    assert follow_ups_sent(stack, handle, 500) == 1
    assert follow_ups_sent(stack, handle, 502) == 1


async def test_a_reply_discord_keeps_failing_is_delivered_from_the_outbox(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    # Every attempt discord.py makes fails: the live process gives up and hands the reply to
    # the outbox, whose consumer posts it once Discord answers again.
    stack.emulator.faults.server_error(503, count=WEBHOOK_ATTEMPTS, method="POST", path=FOLLOW_UP)
    started = time.monotonic()

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    posted = await handle.wait_for_followup(timeout=45)
    figures.seconds_since(started, "command → reply out from the outbox (5 × 503)")
    assert follow_ups_sent(stack, handle, 503) == WEBHOOK_ATTEMPTS
    [match] = await saved_matches(database, member)
    assert str(match["_id"]) in only_embed(stack.sandbox, posted)["footer"]["text"]
    saved_line = await private_outcome(handle, DEBRIEF_ACK)
    assert SAVED_AS.match(saved_line.content), saved_line.content
    await eventually(
        lambda: reply_status_is(database, handle, "delivered"), what="the reply delivered"
    )
    assert [m.ephemeral for m in handle.followups] == [False], "posted once"
