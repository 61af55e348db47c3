"""/debrief through the real bot: screenshots in, a saved match and an AI debrief out."""

from __future__ import annotations

import copy
import re

from app.shared.db.connection import Database
from devtools.discord_emulator import Member
from devtools.gemini_stub import ErrorAnswer, JsonAnswer, Match, Rule, Step, TextAnswer
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    AI_DEBRIEF,
    DEBRIEF_ACK,
    EPHEMERAL,
    HARDPOINT_SCOREBOARD,
    HARDPOINT_WEAPONS,
    MANIFEST,
    OVERLOAD_SCOREBOARD,
    SAVED_AS,
    SLOW,
    SND_SCOREBOARD,
    SND_WEAPONS,
    attach_sample,
    buttons,
    count,
    debrief,
    eventually,
    extraction_requests,
    fields,
    only_embed,
    prepared_sha256,
    private_outcome,
    program_stub,
    saved_matches,
)

AI_UNAVAILABLE = "The AI is unavailable right now; please try again in a minute."


async def test_two_screenshots_become_a_public_debrief_with_fix_and_delete(
    stack: Sandbox, database: Database, member: Member
) -> None:
    handle = debrief(
        stack,
        member,
        attach_sample(stack, HARDPOINT_SCOREBOARD),
        attach_sample(stack, HARDPOINT_WEAPONS),
    )

    ack = await handle.wait_for_ack()
    assert ack.callback_type == 4
    assert ack.payload["data"]["content"] == DEBRIEF_ACK
    assert ack.payload["data"]["flags"] & EPHEMERAL
    posted = await handle.wait_for_followup(timeout=SLOW)
    private = await private_outcome(handle, DEBRIEF_ACK)

    assert [r.kind for r in handle.responses] == ["callback", "followup", "edit"], (
        "acknowledged first, then the public debrief, then the private line replaced"
    )
    saved = SAVED_AS.match(private.content)
    assert saved, private.content
    match_id = saved.group(1)
    assert not posted.ephemeral, "the debrief is for the whole channel"
    embed = only_embed(stack, posted)
    assert embed["title"] == "Victory 250–187 · Hardpoint on Den"
    assert embed["description"] == AI_DEBRIEF["headline"]
    shown = fields(embed)
    assert shown["K/D"] == "1.41"
    assert shown["K / D / A"] == "31 / 22 / 9"
    assert shown["Score"] == "7,350"
    assert shown["Hill time"] == "1:52"
    assert shown["Captures"] == "4"
    assert shown["Weapons"].splitlines() == [
        "**Kogot-7**: 18 kills, 5 HS · 25% acc",
        "**Dravec 45**: 9 kills, 2 HS · 21% acc",
        "**Ryden 45K**: 2 kills, 1 HS · 18% acc",
    ]
    assert shown["What went well"] == "\n".join(f"• {s}" for s in AI_DEBRIEF["strengths"])
    assert shown["Work on"] == "\n".join(f"• {s}" for s in AI_DEBRIEF["to_work_on"])
    assert "baseline" in shown["Against your recent matches"]
    assert match_id in embed["footer"]["text"]
    assert buttons(posted) == {
        f"debrief:fix:{match_id}": "Fix",
        f"debrief:delete:{match_id}": "Delete",
    }

    [match] = await saved_matches(database, member)
    assert str(match["_id"]) == match_id
    assert match["interaction_id"] == handle.id
    assert [w["name"] for w in match["stats"]["weapons"]] == ["Kogot-7", "Dravec 45", "Ryden 45K"]
    assert match["catalog_flags"] == []
    assert await count(database, "debriefs", match_id=match_id, source="ai") == 1
    [read] = [request for request in stack.stub.requests if request.image_count]
    assert read.image_count == 2, "both screenshots go to Gemini in one request"


async def test_an_unknown_weapon_is_saved_and_flagged(
    stack: Sandbox, database: Database, member: Member
) -> None:
    handle = debrief(
        stack, member, attach_sample(stack, SND_SCOREBOARD), attach_sample(stack, SND_WEAPONS)
    )

    posted = await handle.wait_for_followup(timeout=SLOW)

    assert fields(only_embed(stack, posted))["Not in the catalog (kept as read)"] == "Varga R7"
    [match] = await saved_matches(database, member)
    assert "Varga R7" in [w["name"] for w in match["stats"]["weapons"]]
    assert [flag["raw"] for flag in match["catalog_flags"]] == ["Varga R7"]


async def test_a_rate_limited_gemini_is_retried_and_the_match_saved(
    stack: Sandbox, database: Database, member: Member
) -> None:
    # Newest rules answer first; once used up, the sample rule behind it answers the retry.
    stack.stub.add_rule(
        Rule(
            Match(image_sha256=(prepared_sha256(OVERLOAD_SCOREBOARD),)),
            (Step(ErrorAnswer(429), times=1),),
        )
    )

    handle = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))

    private = await private_outcome(handle, DEBRIEF_ACK)
    assert SAVED_AS.match(private.content), private.content
    assert [r.status for r in stack.stub.requests if r.image_count] == [429, 200]
    assert len(await saved_matches(database, member)) == 1


async def test_gemini_down_says_so_and_saves_nothing(
    stack: Sandbox, database: Database, member: Member
) -> None:
    stack.stub.add_rule(Rule.always(Match(), ErrorAnswer(503)))

    handle = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))

    private = await private_outcome(handle, DEBRIEF_ACK)
    assert private.content == AI_UNAVAILABLE
    assert not handle.followups, "nothing public"
    assert await saved_matches(database, member) == []
    assert extraction_requests(stack) == 3, "three attempts, then the user is told"


async def test_an_answer_that_is_not_json_is_an_unreadable_screenshot(
    stack: Sandbox, database: Database, member: Member
) -> None:
    stack.stub.add_rule(
        Rule.always(
            Match(image_sha256=(prepared_sha256(OVERLOAD_SCOREBOARD),)),
            TextAnswer("Looks like a great Overload game on Scar, well played!"),
        )
    )

    handle = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))

    private = await private_outcome(handle, DEBRIEF_ACK)
    assert private.content.startswith("I couldn't read match stats from that screenshot.")
    assert not handle.followups
    assert await saved_matches(database, member) == []


async def test_impossible_stats_are_refused_naming_the_field(
    stack: Sandbox, database: Database, member: Member
) -> None:
    misread = copy.deepcopy(MANIFEST.by_file(SND_SCOREBOARD).answer)
    misread["player"]["deaths"] = 99
    stack.stub.add_rule(
        Rule.always(
            Match(image_sha256=(prepared_sha256(SND_SCOREBOARD),)),
            JsonAnswer({**misread, "readable": True}),
        )
    )

    handle = debrief(stack, member, attach_sample(stack, SND_SCOREBOARD))

    private = await private_outcome(handle, DEBRIEF_ACK)
    # The field in words and listed one per line, never "player.deaths" or ".;".
    assert private.content.startswith("These stats don't add up:\n• Deaths: 99 "), private.content
    assert "Search and Destroy" in private.content
    assert (
        "_" not in private.content and ".;" not in private.content and ".." not in private.content
    )
    assert not handle.followups
    assert await saved_matches(database, member) == []
    assert await count(database, "debriefs", user_id=member.user.id) == 0


async def test_a_replayed_interaction_makes_one_match(
    stack: Sandbox, database: Database, member: Member
) -> None:
    handle = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))
    await private_outcome(handle, DEBRIEF_ACK)
    callback = f"/interactions/{handle.id}/{handle.token}/callback"

    # What a gateway RESUME can do: the same INTERACTION_CREATE delivered again.
    stack.emulator.gateway.dispatch(
        "INTERACTION_CREATE", handle.payload, guild_id=stack.world.guild.id
    )

    # Discord refuses a second acknowledgement; the bot then knows no reply can get through.
    await eventually(
        lambda: stack.emulator.request_log.count("POST", callback, status=400) == 1,
        what="the bot to try to acknowledge the replayed interaction",
    )
    assert len(await saved_matches(database, member)) == 1
    assert extraction_requests(stack) == 1
    assert stack.emulator.request_log.count("POST", callback) == 2, "no reply is attempted"


async def test_a_screenshot_posted_again_names_the_match_it_made(
    stack: Sandbox, database: Database, member: Member
) -> None:
    first = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))
    saved = SAVED_AS.match((await private_outcome(first, DEBRIEF_ACK)).content)
    assert saved

    # The same file, uploaded anew in a new interaction.
    again = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))

    private = await private_outcome(again, DEBRIEF_ACK)
    assert private.content == f"Already logged as match {saved.group(1)}."
    assert not again.followups
    assert len(await saved_matches(database, member)) == 1
    assert extraction_requests(stack) == 1


async def test_a_second_debrief_within_the_cooldown_says_how_long_to_wait(
    stack: Sandbox, database: Database, member: Member
) -> None:
    first = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))
    assert SAVED_AS.match((await private_outcome(first, DEBRIEF_ACK)).content)

    second = debrief(stack, member, attach_sample(stack, HARDPOINT_SCOREBOARD))

    private = await private_outcome(second, DEBRIEF_ACK)
    waited = re.fullmatch(r"Slow down: you can use this again in (\d+) s\.", private.content)
    assert waited, private.content
    assert 1 <= int(waited.group(1)) <= 30, "the server's default /debrief cooldown is 30 s"
    assert len(await saved_matches(database, member)) == 1
    assert extraction_requests(stack) == 1


async def test_a_failed_read_costs_no_cooldown(
    stack: Sandbox, database: Database, member: Member
) -> None:
    stack.stub.add_rule(Rule.always(Match(), ErrorAnswer(503)))
    failed = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))
    assert (await private_outcome(failed, DEBRIEF_ACK)).content == AI_UNAVAILABLE

    program_stub(stack.stub)  # the AI is back
    again = debrief(stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD))

    private = await private_outcome(again, DEBRIEF_ACK)
    assert SAVED_AS.match(private.content), f"no cooldown after a failed read: {private.content}"
    assert len(await saved_matches(database, member)) == 1


async def test_the_note_is_shown_with_the_match(
    stack: Sandbox, database: Database, member: Member
) -> None:
    handle = debrief(
        stack, member, attach_sample(stack, OVERLOAD_SCOREBOARD), note="Lag spike in round 2"
    )
    assert SAVED_AS.match((await private_outcome(handle, DEBRIEF_ACK)).content)

    posted = await handle.wait_for_followup()

    assert fields(only_embed(stack, posted))["Note"] == "Lag spike in round 2"
    [saved] = await saved_matches(database, member)
    assert saved["note"] == "Lag spike in round 2"
