"""/config (Manage Server only, checked again at run time) and the weekly digest it schedules."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from app.core.debriefing.digest import scheduled_period
from app.shared.db.connection import Database
from app.shared.gemini import prompts
from devtools.discord_emulator import Member, Message
from devtools.gemini_stub import JsonAnswer, Match, Rule
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    DIGEST_CHECK_INTERVAL_S,
    eventually,
    fields,
    hardpoint,
    invoke,
    new_member,
    only_embed,
    private_outcome,
    profiled,
    seed_matches,
)

NEEDS_MANAGE_SERVER = "You need the Manage Server permission for that."
MANAGE_GUILD = 1 << 5
DIGEST_PROMPT = prompts.DIGEST_SYSTEM.splitlines()[0]
DIGEST_TEXT = "Two of you played, one win each way: aim for three wins next week."


async def test_config_is_refused_to_a_member_without_manage_server(
    stack: Sandbox, database: Database, stranger: Member
) -> None:
    [config] = [
        c for c in stack.emulator.state.commands(stack.world.guild.id) if c["name"] == "config"
    ]
    # Discord hides /config from such members, but a server admin can change that; the bot
    # must refuse anyway, as here where Discord delivered the command.
    assert int(config["default_member_permissions"]) == MANAGE_GUILD

    show = invoke(stack, "config", stranger, subcommand="show")
    change = invoke(
        stack,
        "config",
        stranger,
        subcommand="digest",
        channel=stack.world.channel.id,
        weekday=1,
        hour=9,
    )

    assert (await private_outcome(show, "Loading…")).content == NEEDS_MANAGE_SERVER
    assert (await private_outcome(change, "Saving…")).content == NEEDS_MANAGE_SERVER
    saved = await database.db["guild_configs"].find_one({"guild_id": stack.world.guild.id})
    assert saved is None or saved.get("updated_by") != stranger.user.id


async def test_an_admin_sees_the_settings(stack: Sandbox) -> None:
    handle = invoke(stack, "config", stack.world.player, subcommand="show")

    shown = await private_outcome(handle, "Loading…")

    settings = fields(only_embed(stack, shown))
    assert settings["/debrief and /log cooldown"] == "30 s each"
    assert settings["/ask cooldown"] == "15 s"


def is_digest(message: Message) -> bool:
    return any(embed.get("title", "").startswith("Squad digest") for embed in message.embeds)


async def an_hour_with_room_to_spare() -> datetime:
    """Now, unless the hour is about to turn: the digest is scheduled for this very hour."""
    now = datetime.now(UTC)
    left = 3600 - now.minute * 60 - now.second
    if left < 10:
        await asyncio.sleep(left + 1)  # rarely: a few seconds, once
        now = datetime.now(UTC)
    return now


async def test_the_weekly_digest_is_posted_exactly_once(stack: Sandbox, database: Database) -> None:
    channel_id = stack.world.channel.id
    now = await an_hour_with_room_to_spare()
    # The seven days up to this hour: the week the squad just played.
    week = scheduled_period(now)
    await database.db["matches"].delete_many(
        {"guild_id": stack.world.guild.id, "played_at": {"$gte": week.since, "$lt": week.until}}
    )
    winner, loser = new_member(stack, "digest-winner"), new_member(stack, "digest-loser")
    # One a few days ago, one within the last hour before the scheduled one: both count.
    await seed_matches(
        stack, winner, [hardpoint(kills=30, deaths=15)], [week.since + timedelta(days=2)]
    )
    await seed_matches(
        stack,
        loser,
        [{**hardpoint(), "result": "loss", "team_score": 190}],
        [week.until - timedelta(minutes=30)],
    )
    stack.stub.add_rule(
        Rule.always(Match(prompt_contains=DIGEST_PROMPT), JsonAnswer({"summary": DIGEST_TEXT}))
    )

    async with profiled(database) as profile:
        scheduled = invoke(
            stack,
            "config",
            stack.world.player,
            subcommand="digest",
            channel=channel_id,
            weekday=now.isoweekday(),
            hour=now.hour,
        )
        assert (await private_outcome(scheduled, "Saving…")).content == "Saved."
        digest = await stack.emulator.driver.wait_for_message(channel_id, is_digest, timeout=10)
        claims = len(await profile.commands("digest_runs", "insert"))

        async def three_more_rounds() -> bool:
            return len(await profile.commands("digest_runs", "insert")) >= claims + 3

        # Each round claims the week again and loses: that is what keeps it to one digest.
        await eventually(
            three_more_rounds,
            what="three more rounds of the digest schedule",
            within=10 * DIGEST_CHECK_INTERVAL_S,
        )

    posted = [m for m in stack.emulator.driver.channel_messages(channel_id) if is_digest(m)]
    assert posted == [digest]
    assert not digest.ephemeral
    embed = only_embed(stack, digest)
    assert embed["title"] == f"Squad digest · {week.label}"
    assert embed["description"] == DIGEST_TEXT
    totals = fields(embed)
    assert (totals["Matches"], totals["Players"], totals["Wins / losses"]) == ("2", "2", "1 / 1")
    assert await database.db["digest_runs"].count_documents({}) == 1

    turned_off = invoke(stack, "config", stack.world.player, subcommand="digest-off")
    off = await private_outcome(turned_off, "Saving…")
    assert fields(only_embed(stack, off))["Weekly digest"] == "off"
