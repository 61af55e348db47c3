"""The bot killed (SIGKILL) in the middle of a /debrief, then started again.

The reply was on record in the outbox before the work began, leased to the process that died.
Instead of waiting out the five-minute lease, each test moves its end to now, as if the time
had passed: what is proven is what the next process does with a reply nobody delivered.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from app.core.replies import NOT_SAVED_NOTICE, TOKEN_LIFETIME
from app.shared.db.connection import Database
from devtools.discord_emulator import InteractionHandle, Member
from tests.e2e.bot.support import (
    AI_DEBRIEF,
    DEBRIEF_ACK,
    OVERLOAD_SCOREBOARD,
    SAVED_AS,
    SLOW,
    attach_sample,
    buttons,
    count,
    debrief,
    eventually,
    extraction_requests,
    only_embed,
    private_outcome,
    program_stub,
    saved_matches,
)
from tests.e2e.faults.processes import FaultStack
from tests.e2e.faults.support import (
    Figures,
    asked_for_a_debrief,
    debrief_slowly,
    follow_ups_sent,
    owed_reply,
    read_slowly,
    reply_status_is,
)

# Far longer than the test: the stub holds the call until the bot is killed.
HOLD_S = 60.0
# The shortest lease the bot gives itself to reply.
MIN_LEASE = timedelta(minutes=4, seconds=30)


async def kill_while(stack: FaultStack, handle: InteractionHandle, moment: str) -> None:
    """Kill the bot the moment the stub holds the call named by `moment`."""
    await handle.wait_for_ack()
    if moment == "writing the debrief":
        await eventually(lambda: asked_for_a_debrief(stack), what=moment, every=0.01)
    else:
        await eventually(lambda: extraction_requests(stack.sandbox) == 1, what=moment, every=0.01)
    await stack.kill_bot()


async def restart_after_the_lease(
    stack: FaultStack, database: Database, handle: InteractionHandle, figures: Figures
) -> float:
    """Nothing was sent; the reply is owed and leased. Then the lease ends and a bot starts.

    Returns when the new bot process was started (monotonic time)."""
    owed = await owed_reply(database, handle)
    assert owed is not None and owed["status"] == "pending"
    assert owed["available_at"] - datetime.now(UTC) > MIN_LEASE, "leased to the live bot"
    assert not handle.followups, "nothing was posted before the crash"
    program_stub(stack.stub)
    await database.db["outbox"].update_one(
        {"_id": owed["_id"]}, {"$set": {"available_at": datetime.now(UTC)}}
    )
    started = time.monotonic()
    await stack.start_bot()
    figures.seconds_since(started, "new bot process → gateway READY")
    return started


async def test_killed_after_saving_the_reply_is_delivered_as_a_follow_up(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    debrief_slowly(stack, latency_s=HOLD_S)
    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))
    await kill_while(stack, handle, "writing the debrief")
    [match] = await saved_matches(database, member)
    match_id = str(match["_id"])

    started = await restart_after_the_lease(stack, database, handle, figures)

    posted = await handle.wait_for_followup(timeout=SLOW)
    figures.seconds_since(started, "new bot process → reply delivered by follow-up")
    embed = only_embed(stack.sandbox, posted)
    assert not posted.ephemeral
    assert match_id in embed["footer"]["text"]
    assert embed["description"] == AI_DEBRIEF["headline"], "the debrief written after restart"
    assert set(buttons(posted)) == {f"debrief:fix:{match_id}", f"debrief:delete:{match_id}"}
    # The private acknowledgement is replaced, as the live process would have done.
    private = await private_outcome(handle, DEBRIEF_ACK)
    assert SAVED_AS.match(private.content), private.content
    await eventually(
        lambda: reply_status_is(database, handle, "delivered"), what="the reply delivered"
    )
    assert len(await saved_matches(database, member)) == 1
    assert await count(database, "debriefs", match_id=match_id) == 1
    assert len(handle.followups) == 1, "posted once"


async def test_killed_before_saving_the_player_is_told_nothing_was_saved(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    read_slowly(stack, OVERLOAD_SCOREBOARD, latency_s=HOLD_S)
    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))
    await kill_while(stack, handle, "reading the screenshots")

    started = await restart_after_the_lease(stack, database, handle, figures)

    notice = await private_outcome(handle, DEBRIEF_ACK)
    figures.seconds_since(started, "new bot process → 'nothing saved' notice")
    assert notice.content == NOT_SAVED_NOTICE
    await eventually(
        lambda: reply_status_is(database, handle, "delivered"), what="the notice delivered"
    )
    assert await saved_matches(database, member) == []
    assert not handle.followups, "told privately, in place of the acknowledgement"


async def test_killed_after_saving_past_the_token_the_match_is_posted_in_the_channel(
    stack: FaultStack, database: Database, member: Member, figures: Figures
) -> None:
    debrief_slowly(stack, latency_s=HOLD_S)
    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))
    await kill_while(stack, handle, "writing the debrief")
    [match] = await saved_matches(database, member)
    match_id = str(match["_id"])
    # Down for longer than the interaction token lives: Discord refuses follow-ups now.
    stack.emulator.clock.advance((TOKEN_LIFETIME + timedelta(minutes=1)).total_seconds())

    started = await restart_after_the_lease(stack, database, handle, figures)

    announced = f"<@{member.user.id}>, your match is saved as {match_id}."
    posted = await stack.emulator.driver.wait_for_message(
        stack.world.channel.id, lambda message: message.content == announced, timeout=SLOW
    )
    figures.seconds_since(started, "new bot process → match posted in the channel")
    assert not posted.ephemeral
    assert match_id in only_embed(stack.sandbox, posted)["footer"]["text"]
    assert set(buttons(posted)) == {f"debrief:fix:{match_id}", f"debrief:delete:{match_id}"}
    assert follow_ups_sent(stack, handle, 401) == 1, "the follow-up was tried first"
    assert not handle.followups
    await eventually(
        lambda: reply_status_is(database, handle, "delivered"), what="the reply delivered"
    )
    in_channel = stack.emulator.driver.channel_messages(stack.world.channel.id)
    assert [m.content for m in in_channel].count(announced) == 1
