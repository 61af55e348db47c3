"""/history, /trend and /leaderboard through the real bot, over matches seeded in its database:
what a player reads in each (issue 15: titles, totals, units, plurals, refusals in words)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import Image

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
from tests.support.factories import raw_search_and_destroy


def snd() -> dict[str, Any]:
    """A plausible Search and Destroy match."""
    return {**raw_search_and_destroy(), "weapons": []}


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
    embed = only_embed(stack, first)
    assert embed["title"] == "Your matches"
    assert embed["footer"]["text"] == "Page 1 of 2"
    assert embed["description"].startswith("**11 matches** · 11 won, 0 lost (100% won) · K/D ")
    # A Discord timestamp with the time of day, which each reader sees in their own time zone.
    assert all(re.match(r"<t:\d+:f> · Victory ", f["value"]) for f in embed["fields"])

    second = await turn_page(stack, first, "Older", member)
    page_two = listed_ids(stack, second)
    assert only_embed(stack, second)["footer"]["text"] == "Page 2 of 2"
    assert button_states(stack, second) == {"Newer": True, "Older": False}

    back = await turn_page(stack, second, "Newer", member)
    assert listed_ids(stack, back) == page_one

    assert len(page_one) == 8 and len(page_two) == 3
    assert not set(page_one) & set(page_two)
    assert page_one + page_two == seeded, "newest first, every match once"


async def test_history_of_a_squadmate_filtered_by_mode(
    stack: Sandbox, database: Database, member: Member
) -> None:
    alex = new_member(stack, "Alex")
    [hardpoint_id] = await seed_matches(stack, alex, [hardpoint()], hours_ago(1))

    everything = invoke(stack, "history", member, player=alex)
    only_snd = invoke(stack, "history", member, player=alex, mode="search_and_destroy")

    listed = only_embed(stack, await everything.wait_for_followup())
    assert listed["title"] == f"{alex.user.username}'s matches"
    assert listed["description"].startswith("**1 match** · 1 won, 0 lost (100% won)")
    assert listed_ids(stack, await everything.wait_for_followup()) == [hardpoint_id]
    empty = only_embed(stack, await only_snd.wait_for_followup())
    assert empty["title"] == f"{alex.user.username}'s matches · Search and Destroy"
    assert empty["description"] == (
        "No matches match these filters. Try /history without the mode or map."
    )


async def test_history_totals_and_win_rate_cover_the_filter(
    stack: Sandbox, database: Database, member: Member
) -> None:
    results = [("win", 250, 200), ("loss", 180, 250), ("win", 250, 240), ("draw", 200, 200)]
    await seed_matches(
        stack,
        member,
        [
            {**hardpoint(kills=20, deaths=10), "result": r, "team_score": t, "enemy_score": e}
            for r, t, e in results
        ]
        + [hardpoint("Scar", kills=1, deaths=30)],
        hours_ago(5),
    )

    handle = invoke(stack, "history", member, map="den")

    embed = only_embed(stack, await handle.wait_for_followup())
    assert embed["title"] == "Your matches · Den"
    assert embed["description"] == "**4 matches** · 2 won, 1 lost, 1 drawn (50% won) · K/D 2.00"
    assert embed["footer"]["text"] == "Page 1 of 1"


async def test_history_without_any_match_says_so(stack: Sandbox, member: Member) -> None:
    handle = invoke(stack, "history", member)

    embed = only_embed(stack, await handle.wait_for_followup())
    assert embed["title"] == "Your matches"
    assert embed["description"] == "You have no matches yet. Post one with /debrief or /log."


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
    assert embed["title"] == "K/D · your last 4 matches"
    # Drawn for Discord's 400 px display width, at twice that for sharp lines.
    assert Image.open(io.BytesIO(attachment.data)).size == (800, 450)


async def test_trend_of_one_mode(stack: Sandbox, database: Database, member: Member) -> None:
    await seed_matches(
        stack,
        member,
        [hardpoint(kills=k) for k in (18, 25, 31)] + [snd() for _ in range(2)],
        hours_ago(5),
    )

    handle = invoke(stack, "trend", member, stat="kd", mode="hardpoint", last=10)

    assert (await private_outcome(handle, "Drawing your chart…")).content == "Chart posted."
    embed = only_embed(stack, await handle.wait_for_followup())
    assert embed["title"] == "K/D · your last 3 Hardpoint matches"


async def test_trend_needs_two_matches_and_says_whose(
    stack: Sandbox, database: Database, member: Member
) -> None:
    alex = new_member(stack, "Alex")
    await seed_matches(stack, alex, [hardpoint()], hours_ago(1))

    mine = invoke(stack, "trend", member, stat="score")
    theirs = invoke(stack, "trend", member, stat="objective_time_s", player=alex)

    assert (await private_outcome(mine, "Drawing your chart…")).content == (
        "A trend needs at least two matches with score; you have 0 matches."
    )
    assert (await private_outcome(theirs, "Drawing your chart…")).content == (
        "A trend needs at least two matches with hill time in Hardpoint; "
        f"{alex.user.username} has 1 match."
    )
    assert not mine.followups and not theirs.followups


async def test_trend_explains_why_last_has_a_minimum(stack: Sandbox) -> None:
    [trend] = [
        c for c in stack.emulator.state.commands(stack.world.guild.id) if c["name"] == "trend"
    ]
    last = next(o for o in trend["options"] if o["name"] == "last")

    assert last["min_value"] == 5
    assert "at least 5 to fill the 5-match average line" in last["description"]
    assert {o["name"] for o in trend["options"]} >= {"stat", "player", "mode", "last"}


async def test_a_stat_a_mode_does_not_have_is_refused_in_words(
    stack: Sandbox, member: Member
) -> None:
    board = invoke(stack, "leaderboard", member, stat="defuses", mode="hardpoint")
    chart = invoke(stack, "trend", member, stat="defuses", mode="overload")

    assert (await private_outcome(board, "Ranking…")).content == (
        "Defuses only exist in Search and Destroy; pick another stat or mode."
    )
    assert (await private_outcome(chart, "Drawing your chart…")).content == (
        "Defuses only exist in Search and Destroy; pick another stat or mode."
    )


async def test_leaderboard_ranks_the_servers_players(
    stack: Sandbox, database: Database, member: Member, stranger: Member
) -> None:
    # The leaderboard is the whole server's: start from a server with only these matches.
    await database.db["matches"].delete_many({"guild_id": stack.world.guild.id})
    await database.db["guild_days"].delete_many({"guild_id": stack.world.guild.id})  # rollups
    third = new_member(stack, "leaderboard-third")
    one_game = new_member(stack, "leaderboard-one-game")
    await seed_matches(stack, member, [hardpoint(kills=30, deaths=15)] * 4, hours_ago(4))
    await seed_matches(stack, stranger, [hardpoint(kills=20, deaths=20)] * 3, hours_ago(3))
    await seed_matches(stack, one_game, [hardpoint(kills=40, deaths=5)], hours_ago(1))
    await seed_matches(
        stack,
        third,
        [hardpoint(kills=10, deaths=20)] * 3,
        [datetime.now(UTC) - timedelta(days=60)] * 3,
    )

    handle = invoke(stack, "leaderboard", member, stat="kd", period="month")

    assert (await private_outcome(handle, "Ranking…")).content == "Leaderboard posted."
    posted = await handle.wait_for_followup()
    assert not posted.ephemeral
    embed = only_embed(stack, posted)
    assert embed["title"] == "Leaderboard · K/D · All modes · Last 30 days"
    assert embed["description"].splitlines() == [
        f"🥇 <@{member.user.id}> — **2.00** · 4 matches",
        f"🥈 <@{stranger.user.id}> — **1.00** · 3 matches",
    ], "one 8.00 game does not top the board; the matches of 60 days ago are outside the period"
    assert embed["footer"]["text"] == (
        "K/D over all their matches (total kills ÷ total deaths) · players with at least 3 matches"
    )


async def test_a_leaderboard_of_averages_says_so_in_the_stats_own_units(
    stack: Sandbox, database: Database, member: Member
) -> None:
    await database.db["matches"].delete_many({"guild_id": stack.world.guild.id})
    await database.db["guild_days"].delete_many({"guild_id": stack.world.guild.id})  # rollups
    await seed_matches(
        stack,
        member,
        [hardpoint(objective_time_s=t) for t in (100, 130, 160)],
        hours_ago(3),
    )

    handle = invoke(stack, "leaderboard", member, stat="objective_time_s", period="week")

    embed = only_embed(stack, await handle.wait_for_followup())
    assert embed["title"] == "Leaderboard · Hill time · Hardpoint · Last 7 days"
    assert embed["description"] == f"🥇 <@{member.user.id}> — **2:10** avg · 3 matches"
    assert embed["footer"]["text"].startswith("Average hill time per match · ")
