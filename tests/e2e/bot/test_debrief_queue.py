"""A burst of /debrief through the real bot: beyond its places, a debrief waits in line,
acknowledged and told how many wait ahead of it, then gets its answer like any other."""

from __future__ import annotations

from app.bot.queue_notices import DEBRIEF_ACK, queued_line
from app.shared.db.connection import Database
from devtools.discord_emulator import InteractionHandle, Message
from devtools.gemini_stub import JsonAnswer, Match, Rule, Step
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    DEBRIEF_CONCURRENCY,
    MANIFEST,
    OVERLOAD_SCOREBOARD,
    SAVED_AS,
    SLOW,
    attach_sample,
    count,
    debrief,
    eventually,
    extraction_requests,
    new_member,
    prepared_sha256,
)

# How long the stub takes to read the screenshots of the debriefs holding the places.
HOLD_S = 2.0


def hold_the_places(stack: Sandbox) -> None:
    """The next readings of the sample, one per place, answer only after HOLD_S."""
    reading = JsonAnswer(
        {**MANIFEST.by_file(OVERLOAD_SCOREBOARD).answer, "readable": True}, latency_s=HOLD_S
    )
    stack.stub.add_rule(
        Rule(
            Match(image_sha256=(prepared_sha256(OVERLOAD_SCOREBOARD),)),
            (Step(reading, times=DEBRIEF_CONCURRENCY),),
        )
    )


def send(stack: Sandbox, label: str) -> InteractionHandle:
    member = new_member(stack, label)
    return debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))


async def told_its_place(handle: InteractionHandle) -> Message:
    return await handle.wait_for_original(lambda message: message.content.startswith("Queued"))


def private_lines(handle: InteractionHandle) -> list[str]:
    """The private acknowledgement, then each edit of it, in order."""
    ack = handle.responses[0]
    assert ack.kind == "callback"
    edits = [r.payload["content"] for r in handle.responses if r.kind == "edit"]
    return [ack.payload["data"]["content"], *edits]


async def test_a_debrief_beyond_the_places_waits_in_line_then_gets_its_answer(
    stack: Sandbox, database: Database
) -> None:
    hold_the_places(stack)
    holding = [send(stack, f"holding-{n}") for n in range(DEBRIEF_CONCURRENCY)]
    await eventually(
        lambda: extraction_requests(stack) == DEBRIEF_CONCURRENCY, what="every place reading"
    )

    next_in_line = send(stack, "next-in-line")
    assert (await told_its_place(next_in_line)).content == queued_line(0)
    behind = send(stack, "behind")
    told = await told_its_place(behind)

    assert told.content == queued_line(1)
    assert told.ephemeral, "only the player sees their place in line"
    assert extraction_requests(stack) == DEBRIEF_CONCURRENCY, "nothing read while waiting"
    everyone = [*holding, next_in_line, behind]
    for handle in everyone:
        await handle.wait_for_followup(timeout=SLOW)
        await handle.wait_for_original(
            lambda message: SAVED_AS.match(message.content) is not None, timeout=SLOW
        )
    lines = private_lines(behind)
    assert lines[0] == DEBRIEF_ACK
    assert lines[1] == queued_line(1)
    assert all(line.startswith("Queued") for line in lines[1:-2]), lines
    assert lines[-2] == DEBRIEF_ACK, "told when its turn came"
    assert SAVED_AS.match(lines[-1]), lines
    for handle in holding:
        assert not any(line.startswith("Queued") for line in private_lines(handle))
    for handle in everyone:
        assert len(handle.followups) == 1, "one public debrief each"
        assert await count(database, "matches", interaction_id=handle.id) == 1
    assert extraction_requests(stack) == len(everyone)
