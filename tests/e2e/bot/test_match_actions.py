"""Fix and Delete under a posted match, /match show/fix/delete by id, and /log by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bson import ObjectId

from app.shared.db.connection import Database
from devtools.discord_emulator import InteractionHandle, Member, Message
from devtools.sandbox.orchestrator import Sandbox
from devtools.sandbox.world import EVERYDAY_PERMISSIONS
from tests.e2e.bot.support import (
    AI_DEBRIEF,
    EPHEMERAL,
    SAVED_AS,
    buttons,
    count,
    eventually,
    fields,
    filled,
    invoke,
    modal_inputs,
    new_member,
    only_embed,
    posted_debrief,
    private_outcome,
    saved_matches,
)

SND_FORM = {
    "Map": "Exposure",
    "Result and score (yours first)": "loss 4-6",
    "Your score": "2350",
    "Kills / deaths / assists": "9/7/3",
    "Plants and defuses": "2 0",
}
NOT_YOURS = "Only the player who logged this match or a server admin can change it."
NOT_FOUND = "No match with that id."
DEFERRED_UPDATE = 6
UPDATE_MESSAGE = 7


@dataclass(frozen=True)
class OpenForm:
    handle: InteractionHandle
    modal: dict[str, Any]


def typed(form: OpenForm | dict[str, Any]) -> dict[str, str | None]:
    """The values a form shows, by label."""
    modal = form.modal if isinstance(form, OpenForm) else form
    return {label: box.get("value") for label, box in modal_inputs(modal).items()}


async def edit_again(stack: Sandbox, refusal: Message, member: Member) -> OpenForm:
    """Click "Edit again" under a refusal: the form it opens."""
    [custom_id] = [cid for cid, label in buttons(refusal).items() if label == "Edit again"]
    clicked = stack.emulator.driver.click_button(refusal.id, custom_id, member=member)
    return OpenForm(clicked, await clicked.wait_for_modal())


async def asked(clicked: InteractionHandle) -> Message:
    """The private question a Delete button answers with."""
    ack = await clicked.wait_for_ack()
    assert ack.callback_type == 4 and ack.payload["data"]["flags"] & EPHEMERAL
    question = clicked.original_message
    assert question is not None
    assert question.content.startswith("Delete this match (")
    assert question.content.endswith("and its debrief? This can't be undone.")
    assert set(buttons(question).values()) == {"Delete", "Cancel"}
    return question


def answer(stack: Sandbox, question: Message, label: str, member: Member) -> InteractionHandle:
    [custom_id] = [cid for cid, text in buttons(question).items() if text == label]
    return stack.emulator.driver.click_button(question.id, custom_id, member=member)


def current(stack: Sandbox, message: Message) -> Message:
    return stack.emulator.state.messages[message.id]


async def stored(database: Database, match_id: str) -> dict[str, object] | None:
    document: dict[str, object] | None = await database.db["matches"].find_one(
        {"_id": ObjectId(match_id)}
    )
    return document


async def test_the_owner_fixes_a_match_from_its_prefilled_form(
    stack: Sandbox, database: Database, member: Member
) -> None:
    posted, match_id = await posted_debrief(stack, member)

    clicked = stack.emulator.driver.click_button(
        posted.id, f"debrief:fix:{match_id}", member=member
    )
    modal = await clicked.wait_for_modal()
    prefilled = {label: box.get("value") for label, box in modal_inputs(modal).items()}
    assert prefilled == {
        "Map": "Scar",
        "Result and score (yours first)": "win 6-4",
        "Your score": "5200",
        "Kills / deaths / assists": "24/18/8",
        "Overloads and device carry time": "3 2:21",
    }
    submitted = stack.emulator.driver.submit_modal(
        clicked, filled(modal, {"Kills / deaths / assists": "26/18/8"})
    )

    ack = await submitted.wait_for_ack()
    assert ack.callback_type == DEFERRED_UPDATE, "the public message itself is updated"
    await submitted.wait_for_response("edit")
    updated = current(stack, posted)
    assert not updated.ephemeral
    embed = only_embed(stack, updated)
    assert fields(embed)["K / D / A"] == "26 / 18 / 8"
    assert embed["footer"]["text"].endswith("· corrected")
    assert set(buttons(updated)) == {f"debrief:fix:{match_id}", f"debrief:delete:{match_id}"}
    match = await stored(database, match_id)
    assert match is not None
    assert match["corrected"] is True
    assert match["stats"]["player"]["kills"] == 26  # type: ignore[index]
    assert await count(database, "debriefs", match_id=match_id) == 1
    confirmation = await submitted.wait_for_followup()
    assert confirmation.ephemeral
    assert confirmation.content == (
        "Saved: kills 24 → 26. The debrief was written again for the new numbers."
    )


async def test_a_fix_that_does_not_add_up_is_refused_privately(
    stack: Sandbox, database: Database, member: Member
) -> None:
    posted, match_id = await posted_debrief(stack, member)
    before = await stored(database, match_id)
    clicked = stack.emulator.driver.click_button(
        posted.id, f"debrief:fix:{match_id}", member=member
    )
    modal = await clicked.wait_for_modal()

    # 40 overloads where the team scored 6: a typo the game rules catch.
    submitted = stack.emulator.driver.submit_modal(
        clicked, filled(modal, {"Overloads and device carry time": "40 2:21"})
    )

    told = await submitted.wait_for_followup()
    assert told.ephemeral
    assert told.content == (
        "These stats don't add up:\n• Overloads: 40 is more than possible in Overload (max 8)"
    )
    assert current(stack, posted).embeds == posted.embeds, "the public match is unchanged"
    assert await stored(database, match_id) == before

    # What was typed is not lost: the form opens again as it was sent.
    again = await edit_again(stack, told, member)
    assert typed(again) == {**typed(modal), "Overloads and device carry time": "40 2:21"}


async def test_a_server_admin_may_fix_anyones_match(stack: Sandbox, member: Member) -> None:
    posted, match_id = await posted_debrief(stack, member)

    clicked = stack.emulator.driver.click_button(
        posted.id, f"debrief:fix:{match_id}", member=stack.world.player
    )

    modal = await clicked.wait_for_modal()
    assert modal["title"] == "Fix this match"


async def test_a_stranger_cannot_fix_or_delete_someone_elses_match(
    stack: Sandbox, database: Database, member: Member, stranger: Member
) -> None:
    posted, match_id = await posted_debrief(stack, member)
    before = await stored(database, match_id)

    for action in ("fix", "delete"):
        clicked = stack.emulator.driver.click_button(
            posted.id, f"debrief:{action}:{match_id}", member=stranger
        )
        ack = await clicked.wait_for_ack()
        assert ack.callback_type == 4
        assert ack.payload["data"]["content"] == NOT_YOURS
        assert ack.payload["data"]["flags"] & EPHEMERAL
        assert clicked.modal is None

    assert await stored(database, match_id) == before
    assert current(stack, posted).embeds == posted.embeds


async def test_the_owner_deletes_a_match_with_its_button(
    stack: Sandbox, database: Database, member: Member
) -> None:
    posted, match_id = await posted_debrief(stack, member)

    clicked = stack.emulator.driver.click_button(
        posted.id, f"debrief:delete:{match_id}", member=member
    )
    question = await asked(clicked)
    assert await stored(database, match_id) is not None, "nothing is deleted before the answer"

    confirmed = answer(stack, question, "Delete", member)

    await confirmed.wait_for_response("edit")
    assert current(stack, question).content == f"Match {match_id} was deleted."
    assert current(stack, question).components == []
    await eventually(
        lambda: current(stack, posted).content == f"Match {match_id} was deleted.",
        what="the posted match to say it was deleted",
    )
    updated = current(stack, posted)
    assert updated.embeds == [] and updated.components == []
    assert await stored(database, match_id) is None
    assert await count(database, "debriefs", match_id=match_id) == 0


async def test_cancelling_a_delete_keeps_the_match(
    stack: Sandbox, database: Database, member: Member
) -> None:
    posted, match_id = await posted_debrief(stack, member)
    clicked = stack.emulator.driver.click_button(
        posted.id, f"debrief:delete:{match_id}", member=member
    )

    cancelled = answer(stack, await asked(clicked), "Cancel", member)

    ack = await cancelled.wait_for_ack()
    assert ack.callback_type == UPDATE_MESSAGE
    assert ack.payload["data"]["content"] == "Kept: nothing was deleted."
    assert await stored(database, match_id) is not None
    assert current(stack, posted).embeds == posted.embeds


async def test_match_show_lets_anyone_in_the_server_look(
    stack: Sandbox, member: Member, stranger: Member
) -> None:
    _, match_id = await posted_debrief(stack, member)

    handle = invoke(stack, "match", stranger, subcommand="show", id=match_id)

    shown = await private_outcome(handle, "Looking it up…")
    embed = only_embed(stack, shown)
    assert embed["title"] == "Victory 6–4 · Overload on Scar"
    assert match_id in embed["footer"]["text"]


async def test_match_show_finds_your_own_match_from_another_server_but_no_one_elses(
    stack: Sandbox, member: Member
) -> None:
    _, match_id = await posted_debrief(stack, member)
    driver = stack.emulator.driver
    elsewhere = driver.create_guild("Another squad")
    channel = driver.create_channel(elsewhere.id, "general")
    # The sandbox syncs its commands to its own guild; in production they are global.
    state = stack.emulator.state
    state.overwrite_commands(elsewhere.id, state.commands(stack.world.guild.id))
    me_there = driver.create_member(
        elsewhere.id, "me-there", permissions=EVERYDAY_PERMISSIONS, user_id=member.user.id
    )
    someone_there = driver.create_member(
        elsewhere.id, "someone-there", permissions=EVERYDAY_PERMISSIONS
    )

    def show(who: Member) -> InteractionHandle:
        return driver.invoke_command(
            "match", member=who, channel_id=channel.id, subcommand="show", options={"id": match_id}
        )

    mine = await private_outcome(show(me_there), "Looking it up…")
    theirs = await private_outcome(show(someone_there), "Looking it up…")

    assert match_id in only_embed(stack, mine)["footer"]["text"]
    assert theirs.content == NOT_FOUND and not theirs.embeds


async def test_match_fix_by_id_corrects_privately(
    stack: Sandbox, database: Database, member: Member
) -> None:
    _, match_id = await posted_debrief(stack, member)

    handle = invoke(stack, "match", member, subcommand="fix", id=match_id)
    modal = await handle.wait_for_modal()
    submitted = stack.emulator.driver.submit_modal(handle, filled(modal, {"Your score": "5400"}))

    shown = await private_outcome(submitted, "Saving the correction…")
    assert shown.content.startswith("Saved: your score 5200 → 5400.")
    embed = only_embed(stack, shown)
    assert fields(embed)["Score"] == "5,400"
    assert embed["footer"]["text"].endswith("· corrected")
    match = await stored(database, match_id)
    assert match is not None and match["stats"]["player"]["score"] == 5400  # type: ignore[index]


async def test_match_fix_by_id_refuses_a_stranger_without_a_form(
    stack: Sandbox, member: Member, stranger: Member
) -> None:
    _, match_id = await posted_debrief(stack, member)

    handle = invoke(stack, "match", stranger, subcommand="fix", id=match_id)

    ack = await handle.wait_for_ack()
    assert ack.callback_type == 4
    assert ack.payload["data"] == {**ack.payload["data"], "content": NOT_YOURS}
    assert ack.payload["data"]["flags"] & EPHEMERAL


async def test_match_delete_by_the_owner_and_by_a_server_admin(
    stack: Sandbox, database: Database, member: Member
) -> None:
    _, own = await posted_debrief(stack, member)
    teammate = new_member(stack, "delete-by-admin")
    _, theirs = await posted_debrief(stack, teammate)

    by_owner = invoke(stack, "match", member, subcommand="delete", id=own)
    # The sandbox's player holds Manage Server.
    by_admin = invoke(stack, "match", stack.world.player, subcommand="delete", id=theirs)

    for handle, who, match_id in ((by_owner, member, own), (by_admin, stack.world.player, theirs)):
        question = await private_outcome(handle, "Looking it up…")
        assert question.content.startswith("Delete this match (Victory 6–4 · Overload on Scar)")
        confirmed = answer(stack, question, "Delete", who)
        await confirmed.wait_for_response("edit")
        assert current(stack, question).content == f"Match {match_id} was deleted."
    assert await stored(database, own) is None
    assert await stored(database, theirs) is None


async def test_log_saves_a_typed_match_with_a_debrief(
    stack: Sandbox, database: Database, member: Member
) -> None:
    handle = invoke(stack, "log", member, mode="hardpoint")
    modal = await handle.wait_for_modal()
    assert modal["title"] == "Log a Hardpoint match"

    submitted = stack.emulator.driver.submit_modal(
        handle,
        filled(
            modal,
            {
                "Map": "den",
                "Result and score (yours first)": "win 250-200",
                "Your score": "6100",
                "Kills / deaths / assists": "30/20/10",
                "Hill time and captures": "1:30 3",
            },
        ),
    )

    private = await private_outcome(submitted, "Saving your match…")
    saved = SAVED_AS.match(private.content)
    assert saved, private.content
    posted = await submitted.wait_for_followup()
    assert not posted.ephemeral
    embed = only_embed(stack, posted)
    assert embed["title"] == "Victory 250–200 · Hardpoint on Den", "the catalog's spelling"
    assert fields(embed)["Hill time"] == "1:30"
    assert embed["description"] == AI_DEBRIEF["headline"]
    assert embed["footer"]["text"].endswith("· logged by hand")
    [match] = await saved_matches(database, member)
    assert str(match["_id"]) == saved.group(1)
    assert match["source"] == "manual"
    assert match["interaction_id"] == handle.id, "the /log interaction, not the form's"


async def test_log_works_without_the_ai_with_a_template_debrief(
    stack: Sandbox, database: Database, member: Member
) -> None:
    stack.stub.reset()  # no rules: Gemini answers nothing useful

    handle = invoke(stack, "log", member, mode="search_and_destroy")
    modal = await handle.wait_for_modal()
    submitted = stack.emulator.driver.submit_modal(
        handle,
        filled(
            modal,
            {
                "Map": "Exposure",
                "Result and score (yours first)": "loss 4-6",
                "Your score": "2350",
                "Kills / deaths / assists": "9/7/3",
                "Plants and defuses": "2 0",
            },
        ),
    )

    private = await private_outcome(submitted, "Saving your match…")
    saved = SAVED_AS.match(private.content)
    assert saved, private.content
    posted = await submitted.wait_for_followup()
    embed = only_embed(stack, posted)
    assert embed["title"] == "Defeat 4–6 · Search and Destroy on Exposure"
    assert embed.get("description"), "a headline from the template"
    assert {"Plants", "Defuses"} <= set(fields(embed))
    assert await count(database, "debriefs", match_id=saved.group(1), source="template") == 1


async def test_log_explains_every_box_it_cannot_read(
    stack: Sandbox, database: Database, member: Member
) -> None:
    handle = invoke(stack, "log", member, mode="overload")
    modal = await handle.wait_for_modal()
    submitted = stack.emulator.driver.submit_modal(
        handle,
        filled(
            modal,
            {
                "Map": "Scar",
                "Result and score (yours first)": "won by a lot",
                "Your score": "5200",
                "Kills / deaths / assists": "24-18",
                "Overloads and device carry time": "3 2:21",
            },
        ),
    )

    told = await private_outcome(submitted, "Saving your match…")
    assert told.content == (
        "Some boxes can't be read:\n"
        "• Result and score: write it like `win 250-187` (win, loss or draw)\n"
        "• Kills / deaths / assists: write 3 numbers"
    )
    assert await saved_matches(database, member) == []

    again = await edit_again(stack, told, member)
    assert typed(again)["Result and score (yours first)"] == "won by a lot"
    assert typed(again)["Kills / deaths / assists"] == "24-18"
    fixed = stack.emulator.driver.submit_modal(
        again.handle,
        filled(
            again.modal,
            {"Result and score (yours first)": "win 6-4", "Kills / deaths / assists": "24/18/8"},
        ),
    )
    assert SAVED_AS.match((await private_outcome(fixed, "Saving your match…")).content)
    [match] = await saved_matches(database, member)
    assert match["interaction_id"] == handle.id, "still the /log interaction"


async def test_log_names_a_field_in_words_when_the_stats_do_not_add_up(
    stack: Sandbox, database: Database, member: Member
) -> None:
    handle = invoke(stack, "log", member, mode="search_and_destroy")
    modal = await handle.wait_for_modal()
    submitted = stack.emulator.driver.submit_modal(
        handle, filled(modal, {**SND_FORM, "Result and score (yours first)": "win 9-4"})
    )

    told = await private_outcome(submitted, "Saving your match…")

    assert told.content == (
        "These stats don't add up:\n• Your team's score: 9 is more than possible in Search and "
        "Destroy (max 6)"
    )
    assert set(buttons(told).values()) == {"Edit again"}


async def test_log_has_its_own_cooldown_and_keeps_what_was_typed(
    stack: Sandbox, database: Database, member: Member
) -> None:
    first = invoke(stack, "log", member, mode="search_and_destroy")
    submitted = stack.emulator.driver.submit_modal(
        first, filled(await first.wait_for_modal(), SND_FORM)
    )
    assert SAVED_AS.match((await private_outcome(submitted, "Saving your match…")).content)

    second = invoke(stack, "log", member, mode="search_and_destroy")
    typed_in = {**SND_FORM, "Map": "Scar"}
    submitted = stack.emulator.driver.submit_modal(
        second, filled(await second.wait_for_modal(), typed_in)
    )

    told = await private_outcome(submitted, "Saving your match…")
    assert re.fullmatch(r"Slow down: you can use this again in \d+ s\.", told.content)
    assert typed(await edit_again(stack, told, member)) == typed_in
    assert len(await saved_matches(database, member)) == 1
