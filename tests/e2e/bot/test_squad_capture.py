"""Whole-squad capture through the real bot process against the Discord emulator: the Gemini
stub reads the uploader's scoreboard with a squad mate's row on it; the mate, linked with
auto_record, gets the match in a DM with Fix and Not me (or in the channel, when their DMs are
closed), is told it is already recorded when they upload it themselves, and takes it back."""

from __future__ import annotations

from typing import Any

from app.shared.db.connection import Database
from devtools.discord_emulator import Member, Message
from devtools.gemini_stub import JsonAnswer, Match, Rule
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    HARDPOINT_SCOREBOARD,
    MANIFEST,
    SLOW,
    attach_sample,
    buttons,
    eventually,
    filled,
    prepared_sha256,
    private_outcome,
    saved_matches,
)
from tests.e2e.bot.test_links_and_seasons import Squad, outcome, run, squad_of_its_own

SPANISH_ACK = "Leyendo tus capturas…"
MATE_NAME = "Viper_21"
# As Discord text: the underscore escaped, so it shows as typed, not as italics.
MATE_AS_TEXT = r"Viper\_21"
MATE_ROW = {
    "gamertag": MATE_NAME,
    "team": "ally",
    "score": 4200,
    "kills": 20,
    "deaths": 18,
    "assists": 6,
    "objective_time_s": 60,
    "captures": 3,
}


def read_with_the_mate_on_the_board(stack: Sandbox) -> None:
    """The stub reads the Hardpoint sample as usual, with the mate's row in its lobby."""
    answer = MANIFEST.by_file(HARDPOINT_SCOREBOARD).answer
    stack.stub.add_rule(
        Rule.always(
            Match(image_sha256=(prepared_sha256(HARDPOINT_SCOREBOARD),)),
            # The lobby only when asked: Blake's own upload is read without it (nobody else in
            # the server opted in), Alex's with it.
            JsonAnswer({**answer, "readable": True, "lobby": [MATE_ROW]}, if_asked=("lobby",)),
        )
    )


async def opt_in(stack: Sandbox, squad: Squad, mate: Member) -> str:
    return await outcome(
        run(stack, squad, mate, "link", gamertag=MATE_NAME, auto_record=True), "Linking…"
    )


async def upload(stack: Sandbox, squad: Squad, who: Member, ack: str = DEBRIEF_ACK) -> Message:
    handle = run(
        stack, squad, who, "debrief", scoreboard=attach_sample(stack, HARDPOINT_SCOREBOARD)
    )
    return await private_outcome(handle, ack)


async def dm_of(stack: Sandbox, mate: Member) -> Message:
    driver = stack.emulator.driver
    await eventually(lambda: bool(driver.direct_messages(mate.user.id)), what="the mate's DM")
    [notice] = driver.direct_messages(mate.user.id)
    return notice


async def test_the_mate_gets_the_match_in_a_dm_and_not_me_takes_it_back(
    stack: Sandbox, database: Database
) -> None:
    squad = squad_of_its_own(stack, "capture")
    read_with_the_mate_on_the_board(stack)
    linked = await opt_in(stack, squad, squad.blake)

    told = await upload(stack, squad, squad.alex)

    assert "Auto-record is on" in linked
    assert told.content.endswith(f"Also recorded for 1 squad mate: {MATE_AS_TEXT}.")
    [captured] = await saved_matches(database, squad.blake)
    assert captured["source"] == "captured"
    assert captured["stats"]["player"]["kills"] == 20
    notice = await dm_of(stack, squad.blake)
    assert f"<@{squad.alex.user.id}>" in notice.content and MATE_AS_TEXT in notice.content
    match_id = str(captured["_id"])
    assert buttons(notice) == {
        f"debrief:fix:{match_id}": "Fix",
        f"debrief:notme:{match_id}": "Not me",
    }

    # Blake uploads the same match: no duplicate, pointed at the captured one.
    again = await upload(stack, squad, squad.blake)
    assert again.content.startswith(f"This match is already recorded for you as match {match_id}")
    assert f"debrief:notme:{match_id}" in buttons(again)
    assert len(await saved_matches(database, squad.blake)) == 1

    # Fix, from the DM: the usual form, for Blake's own copy.
    fixing = stack.emulator.driver.click_button(
        notice.id, f"debrief:fix:{match_id}", member=squad.blake
    )
    form = await fixing.wait_for_modal()
    fixed = stack.emulator.driver.submit_modal(
        fixing, filled(form, {"Kills / deaths / assists": "22/18/6"})
    )
    await fixed.wait_for_response("edit")
    [corrected] = await saved_matches(database, squad.blake)
    assert corrected["stats"]["player"]["kills"] == 22 and corrected["corrected"] is True
    assert set(buttons(_dm(stack, squad.blake))) == set(buttons(notice))

    pressed = stack.emulator.driver.click_button(
        notice.id, f"debrief:notme:{match_id}", member=squad.blake
    )
    await pressed.wait_for_ack()
    await eventually(
        lambda: _content(stack, squad.blake).startswith(f"Removed: match {match_id}"),
        what="the DM to say the match was removed",
    )
    assert await saved_matches(database, squad.blake) == []
    assert len(await saved_matches(database, squad.alex)) == 1


async def test_closed_dms_get_a_line_in_the_upload_channel(
    stack: Sandbox, database: Database
) -> None:
    squad = squad_of_its_own(stack, "closed-dms")
    read_with_the_mate_on_the_board(stack)
    await opt_in(stack, squad, squad.blake)
    # Discord refuses the DM (closed DMs answer 403); the channel line is the next post.
    stack.emulator.faults.fail(403, method="POST", path="/channels/{channel_id}/messages", count=1)

    await upload(stack, squad, squad.alex)

    [captured] = await saved_matches(database, squad.blake)
    match_id = str(captured["_id"])

    def line() -> Message | None:
        posted = stack.emulator.driver.channel_messages(squad.channel.id)
        return next((m for m in posted if f"debrief:notme:{match_id}" in m.custom_ids()), None)

    await eventually(lambda: line() is not None, what="the line in the channel", within=SLOW)
    found = line()
    assert found is not None
    assert found.content.startswith(f"<@{squad.blake.user.id}>: <@{squad.alex.user.id}>'s")
    assert stack.emulator.driver.direct_messages(squad.blake.user.id) == []


def _dm(stack: Sandbox, member: Member) -> Message:
    [message] = stack.emulator.driver.direct_messages(member.user.id)
    return message


def _content(stack: Sandbox, member: Member) -> str:
    messages: list[Any] = stack.emulator.driver.direct_messages(member.user.id)
    return str(messages[0].content) if messages else ""


async def test_a_spanish_server_hears_of_the_capture_in_spanish(
    stack: Sandbox, database: Database
) -> None:
    squad = squad_of_its_own(stack, "capture-es")
    spanish = run(stack, squad, squad.admin, "config", subcommand="language", language="es")
    assert await outcome(spanish, "Saving…") == "Guardado."
    read_with_the_mate_on_the_board(stack)
    await opt_in(stack, squad, squad.blake)

    told = await upload(stack, squad, squad.alex, SPANISH_ACK)

    assert told.content.endswith(f"También registrada para 1 compañero: {MATE_AS_TEXT}.")
    [captured] = await saved_matches(database, squad.blake)
    match_id = str(captured["_id"])
    notice = await dm_of(stack, squad.blake)
    assert notice.content.startswith(
        f"<@{squad.alex.user.id}> subió un marcador en el que sale tu fila (**{MATE_AS_TEXT}**)"
    )
    assert buttons(notice) == {
        f"debrief:fix:{match_id}": "Corregir",
        f"debrief:notme:{match_id}": "No soy yo",
    }
    again = await upload(stack, squad, squad.blake, SPANISH_ACK)
    assert again.content.startswith(
        f"Esta partida ya está registrada para ti como partida {match_id}"
    )
