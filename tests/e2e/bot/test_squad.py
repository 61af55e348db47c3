"""/compare, /session, and personal bests in the debrief and the squad channel, through the
real bot process against the Discord emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from app.core.deliveries import RecordAnnouncement
from app.shared.db.connection import Database
from app.shared.db.repositories import BeanieMatchRepository, BeanieOutboxRepository
from devtools.discord_emulator import Channel, InteractionHandle, Member, Message
from devtools.sandbox.orchestrator import Sandbox
from devtools.sandbox.world import EVERYDAY_PERMISSIONS, MANAGE_GUILD
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    HARDPOINT_SCOREBOARD,
    JSON,
    attach_sample,
    eventually,
    fields,
    hardpoint,
    hours_ago,
    invoke,
    only_embed,
    private_outcome,
    seed_matches,
)
from tests.support.factories import match_fields

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BEST = "New personal best: 31 kills in Hardpoint"


async def test_compare_posts_a_table_and_an_overlay_chart(
    stack: Sandbox, member: Member, stranger: Member
) -> None:
    await seed_matches(stack, member, [hardpoint(kills=k) for k in (18, 25, 31)], hours_ago(3))
    await seed_matches(stack, stranger, [hardpoint(kills=k) for k in (30, 40)], hours_ago(2))

    handle = invoke(stack, "compare", member, player=stranger.user.id, stat="kills", last=10)

    assert (await private_outcome(handle, "Comparing…")).content == "Comparison posted."
    posted = await handle.wait_for_followup()
    assert not posted.ephemeral
    [attachment] = posted.attachments
    assert attachment.filename == "compare.png" and attachment.data.startswith(PNG_SIGNATURE)
    embed = only_embed(stack, posted)
    assert embed["image"]["url"] == "attachment://compare.png"
    table = list(fields(embed).values())
    assert table[0].splitlines()[:1] == ["Matches"]
    mine, theirs = table[1].splitlines(), table[2].splitlines()
    assert (mine[0], theirs[0]) == ("3", "**2**") or (mine[0], theirs[0]) == ("**3**", "2")
    assert "Best Kills" in table[0] and mine[-1] == "31" and theirs[-1] == "**40**"


async def test_compare_refuses_a_player_of_another_server(
    stack: Sandbox, database: Database, member: Member
) -> None:
    driver = stack.emulator.driver
    elsewhere = driver.create_guild("Not our squad")
    outsider = driver.create_member(elsewhere.id, "outsider", permissions=EVERYDAY_PERMISSIONS)
    await seed_in(elsewhere.id, driver.create_channel(elsewhere.id).id, outsider, [hardpoint()])

    handle = invoke(stack, "compare", member, player=outsider.user.id)

    refused = await private_outcome(handle, "Comparing…")
    assert refused.content == "You can only compare with a member of this server."
    assert not handle.followups


async def test_compare_with_a_member_without_matches_here_is_not_found(
    stack: Sandbox, member: Member, stranger: Member
) -> None:
    await seed_matches(stack, member, [hardpoint()], hours_ago(1))

    handle = invoke(stack, "compare", member, player=stranger.user.id)

    refused = await private_outcome(handle, "Comparing…")
    assert refused.content == "That player has no matches in this server."


async def test_session_adds_up_the_latest_run_of_matches(stack: Sandbox, member: Member) -> None:
    now = datetime.now(UTC)
    played = [now - timedelta(minutes=m) for m in (10, 50, 95, 600)]  # a long break, then 3
    await seed_matches(stack, member, [hardpoint(kills=k) for k in (20, 26, 30, 50)], played)

    handle = invoke(stack, "session", member)

    assert (await private_outcome(handle, "Adding up your session…")).content == "Session posted."
    embed = only_embed(stack, await handle.wait_for_followup())
    assert embed["title"].startswith("Current session · ")
    shown = fields(embed)
    assert shown["Matches"] == "3" and shown["Kills"] == "76"
    assert shown["W / L / D"] == "3 / 0 / 0"
    assert "30–22" in shown["Best match"]


async def test_a_new_best_is_called_out_in_the_debrief_and_posted_once_when_turned_on(
    stack: Sandbox, database: Database
) -> None:
    squad = await celebrating_squad(stack)
    player = stack.emulator.driver.create_member(
        squad.guild_id, "record-setter", permissions=EVERYDAY_PERMISSIONS
    )
    await seed_in(squad.guild_id, squad.id, player, [hardpoint(kills=20)] * 3)

    handle = stack.emulator.driver.invoke_command(
        "debrief",
        member=player,
        channel_id=squad.id,
        options={"scoreboard": attach_sample(stack, HARDPOINT_SCOREBOARD)},
    )
    await private_outcome(handle, DEBRIEF_ACK)
    debriefed = only_embed(stack, await handle.wait_for_followup())

    records = fields(debriefed)["Records"].splitlines()
    assert f"🏆 {BEST}" in records
    await eventually(lambda: len(announced(stack, squad, player)) == len(records), what="posts")
    assert any(BEST in text for text in announced(stack, squad, player))
    await asyncio.sleep(1.0)  # a second post, if any, would be out by now
    assert len(announced(stack, squad, player)) == len(records)


async def test_a_new_best_is_not_posted_while_the_server_keeps_it_off(
    stack: Sandbox, member: Member
) -> None:
    await seed_matches(stack, member, [hardpoint(kills=20)] * 3, hours_ago(3))

    handle = invoke(stack, "debrief", member, scoreboard=attach_sample(stack, HARDPOINT_SCOREBOARD))
    await private_outcome(handle, DEBRIEF_ACK)

    debriefed = only_embed(stack, await handle.wait_for_followup())
    assert f"🏆 {BEST}" in fields(debriefed)["Records"]
    channel = stack.world.channel.id
    assert not [m for m in channel_messages(stack, channel) if mentions_trophy(m, member)]


async def celebrating_squad(stack: Sandbox) -> Channel:
    """A server of its own, whose admin chose a digest channel and turned announcements on."""
    driver = stack.emulator.driver
    guild = driver.create_guild("A squad that celebrates")
    channel = driver.create_channel(guild.id, "squad")
    state = stack.emulator.state
    state.overwrite_commands(guild.id, state.commands(stack.world.guild.id))
    admin = driver.create_member(
        guild.id, "squad-admin", permissions=EVERYDAY_PERMISSIONS | MANAGE_GUILD
    )
    tomorrow = datetime.now(UTC).isoweekday() % 7 + 1  # no digest falls due meanwhile
    await configured(stack, admin, channel, "digest", channel=channel.id, weekday=tomorrow)
    await configured(stack, admin, channel, "announce-bests", on=True)
    return channel


async def configured(
    stack: Sandbox, admin: Member, where: Channel, subcommand: str, **options: object
) -> None:
    handle: InteractionHandle = stack.emulator.driver.invoke_command(
        "config", member=admin, channel_id=where.id, subcommand=subcommand, options=options
    )
    assert (await private_outcome(handle, "Saving…")).content == "Saved."


async def seed_in(
    guild_id: int, channel_id: int, member: Member, raw_stats: Sequence[JSON]
) -> None:
    repository = BeanieMatchRepository()
    for raw, when in zip(raw_stats, hours_ago(len(raw_stats)), strict=True):
        await repository.add(
            match_fields(
                guild_id=guild_id,
                channel_id=channel_id,
                user_id=member.user.id,
                raw_stats=raw,
                played_at=when,
            )
        )


def channel_messages(stack: Sandbox, channel_id: int) -> list[Message]:
    return [m for m in stack.emulator.state.messages.values() if m.channel_id == channel_id]


def mentions_trophy(message: Message, member: Member) -> bool:
    return any(
        embed.get("description", "").startswith(f"🏆 <@{member.user.id}>")
        for embed in message.embeds
    )


def announced(stack: Sandbox, channel: Channel, member: Member) -> list[str]:
    return [
        embed["description"]
        for message in channel_messages(stack, channel.id)
        if mentions_trophy(message, member)
        for embed in message.embeds
    ]


async def test_a_record_queued_by_the_api_is_posted_by_the_bot_once(stack: Sandbox) -> None:
    squad = await celebrating_squad(stack)
    player = stack.emulator.driver.create_member(
        squad.guild_id, "web-corrector", permissions=EVERYDAY_PERMISSIONS
    )
    announcement = RecordAnnouncement(
        guild_id=squad.guild_id,
        channel_id=squad.id,
        user_id=player.user.id,
        match_id="0" * 24,
        record_key=f"best:{player.user.id}:hardpoint:kills:34",
        text="New personal best: 34 kills in Hardpoint",
    )
    outbox = BeanieOutboxRepository()
    # As the API queues it (`hand_records_to_the_bot`), twice: a retried request.
    for _ in range(2):
        await outbox.enqueue(announcement.outbox_message(datetime.now(UTC), leased=False))

    await eventually(lambda: len(announced(stack, squad, player)) == 1, what="the post")
    await asyncio.sleep(1.0)
    assert announced(stack, squad, player) == [f"🏆 <@{player.user.id}> — {announcement.text}"]
