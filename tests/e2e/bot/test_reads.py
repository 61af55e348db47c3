"""/history, /trend and /leaderboard through the real bot, over matches seeded in its database."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from app.shared.db.connection import Database
from devtools.discord_emulator import InteractionHandle, Member, Message
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    buttons,
    hardpoint,
    hours_ago,
    invoke,
    new_member,
    only_embed,
    payload,
    private_outcome,
    seed_matches,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MATCH_ID = re.compile(r"`([0-9a-f]{24})`")


def listed_ids(stack: Sandbox, message: Message) -> list[str]:
    values = [field["value"] for field in only_embed(stack, message)["fields"]]
    return [found[1] for found in map(MATCH_ID.search, values) if found]


def button_states(stack: Sandbox, message: Message) -> dict[str, bool]:
    """Enabled state of each button, by label."""
    rows = payload(stack, message)["components"]
    return {b["label"]: not b.get("disabled", False) for row in rows for b in row["components"]}


async def turn_page(stack: Sandbox, message: Message, label: str, member: Member) -> Message:
    [custom_id] = [cid for cid, text in buttons(message).items() if text == label]
    clicked: InteractionHandle = stack.emulator.driver.click_button(
        message.id, custom_id, member=member
    )
    ack = await clicked.wait_for_ack()
    assert ack.callback_type == 7, "the page is turned in place"
    return stack.emulator.state.messages[message.id]


async def test_history_pages_through_matches_without_overlap(
    stack: Sandbox, database: Database, member: Member
) -> None:
    seeded = await seed_matches(
        stack, member, [hardpoint(kills=20 + n) for n in range(11)], hours_ago(11)
    )

    handle = invoke(stack, "history", member)

    assert (await private_outcome(handle, "Fetching matches…")).content == "Here you go."
    first = await handle.wait_for_followup()
    assert not first.ephemeral
    page_one = listed_ids(stack, first)
    assert button_states(stack, first) == {"Newer": False, "Older": True}

    second = await turn_page(stack, first, "Older", member)
    page_two = listed_ids(stack, second)
    assert only_embed(stack, second)["footer"]["text"] == "Page 2"
    assert button_states(stack, second) == {"Newer": True, "Older": False}

    back = await turn_page(stack, second, "Newer", member)
    assert listed_ids(stack, back) == page_one

    assert len(page_one) == 8 and len(page_two) == 3
    assert not set(page_one) & set(page_two)
    assert page_one + page_two == seeded, "newest first, every match once"


async def test_history_of_a_squadmate_filtered_by_mode(
    stack: Sandbox, database: Database, member: Member, stranger: Member
) -> None:
    [hardpoint_id] = await seed_matches(stack, stranger, [hardpoint()], hours_ago(1))

    everything = invoke(stack, "history", member, player=stranger)
    only_snd = invoke(stack, "history", member, player=stranger, mode="search_and_destroy")

    listed = listed_ids(stack, await everything.wait_for_followup())
    assert listed == [hardpoint_id]
    empty = only_embed(stack, await only_snd.wait_for_followup())
    assert empty["description"] == "No matches yet. Post one with /debrief or /log."


async def test_trend_posts_a_png_chart_in_its_embed(
    stack: Sandbox, database: Database, member: Member
) -> None:
    await seed_matches(
        stack, member, [hardpoint(kills=k, deaths=20) for k in (18, 25, 31, 22)], hours_ago(4)
    )

    handle = invoke(stack, "trend", member, stat="kd", last=10)

    assert (await private_outcome(handle, "Drawing your chart…")).content == "Chart posted."
    posted = await handle.wait_for_followup()
    assert not posted.ephemeral
    [attachment] = posted.attachments
    assert attachment.filename == "trend.png"
    assert attachment.data.startswith(PNG_SIGNATURE)
    embed = only_embed(stack, posted)
    assert embed["image"]["url"] == "attachment://trend.png"
    assert embed["title"].endswith("last 4 matches")


async def test_trend_needs_two_matches(stack: Sandbox, member: Member) -> None:
    handle = invoke(stack, "trend", member, stat="score")

    private = await private_outcome(handle, "Drawing your chart…")

    assert "A trend needs at least two matches" in private.content
    assert not handle.followups


async def test_leaderboard_ranks_the_servers_players(
    stack: Sandbox, database: Database, member: Member, stranger: Member
) -> None:
    # The leaderboard is the whole server's: start from a server with only these matches.
    await database.db["matches"].delete_many({"guild_id": stack.world.guild.id})
    await database.db["guild_days"].delete_many({"guild_id": stack.world.guild.id})  # rollups
    third = new_member(stack, "leaderboard-third")
    await seed_matches(stack, member, [hardpoint(kills=30, deaths=15)] * 2, hours_ago(2))
    await seed_matches(stack, stranger, [hardpoint(kills=20, deaths=20)], hours_ago(1))
    await seed_matches(
        stack, third, [hardpoint(kills=10, deaths=20)], [datetime.now(UTC) - timedelta(days=60)]
    )

    handle = invoke(stack, "leaderboard", member, stat="kd", period="month")

    assert (await private_outcome(handle, "Ranking…")).content == "Leaderboard posted."
    posted = await handle.wait_for_followup()
    assert not posted.ephemeral
    embed = only_embed(stack, posted)
    assert embed["title"] == "Leaderboard · K/D · Last 30 days"
    assert embed["description"].splitlines() == [
        f"🥇 <@{member.user.id}> — **2.00** (2 matches)",
        f"🥈 <@{stranger.user.id}> — **1.00** (1 matches)",
    ], "the match of 60 days ago is outside the period"
