"""Gateway resilience: resume with replay, op 7, op 9, close codes, intents and sharding."""

from __future__ import annotations

import discord
import pytest
from discord.ext import commands

from devtools.discord_emulator import DiscordEmulator
from devtools.discord_emulator.gateway_session import GatewaySession
from devtools.discord_emulator.snowflakes import shard_of

from .bots import EmulatedBot, guild_intents, start_bot
from .conftest import Launch, World


def only_session(emulator: DiscordEmulator) -> GatewaySession:
    [session] = emulator.gateway.sessions
    return session


async def test_resume_after_dropped_socket_replays_missed_dispatches(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    session = only_session(emulator)
    resumed = bot.wait_for("resumed", timeout=5)
    joined = bot.wait_for("guild_join", timeout=5)

    emulator.gateway.abort()
    # Dispatched after the TCP drop: the old socket cannot deliver it, RESUME must.
    created = emulator.driver.create_guild("Created while offline")

    await resumed
    guild = await joined
    assert guild.id == created.id
    assert only_session(emulator) is session and session.connection is not None
    assert bot.ready_count == 1  # resumed, not re-identified
    assert bot.get_guild(created.id) is not None


async def test_interaction_sent_while_disconnected_is_answered_after_resume(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    await launch(bot)
    await bot.tree.sync()
    emulator.gateway.abort()
    handle = emulator.driver.invoke_command(
        "ping", member=world.member, channel_id=world.channel.id
    )

    reply = await handle.wait_for_original()
    assert reply.content == "pong"


async def test_op7_reconnect_resumes_the_session(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    session = only_session(emulator)
    resumed = bot.wait_for("resumed", timeout=5)

    emulator.gateway.request_reconnect()

    await resumed
    assert only_session(emulator) is session and bot.ready_count == 1


async def test_op9_resumable_session_resumes(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    session = only_session(emulator)
    resumed = bot.wait_for("resumed", timeout=5)

    emulator.gateway.invalidate_session(resumable=True)

    await resumed
    assert only_session(emulator) is session


async def test_op9_invalid_session_makes_the_client_identify_again(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    old = only_session(emulator)
    ready_again = bot.wait_for("ready", timeout=5)

    emulator.gateway.invalidate_session(resumable=False)

    await ready_again
    new = only_session(emulator)
    assert new.session_id != old.session_id and bot.ready_count == 2
    assert bot.get_guild(world.guild.id) is not None


async def test_close_code_4000_is_resumed(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    resumed = bot.wait_for("resumed", timeout=5)

    await emulator.gateway.close(4000, reason="Unknown error")

    await resumed
    assert bot.ready_count == 1


async def test_privileged_intents_are_refused_with_4014(
    emulator: DiscordEmulator, world: World, discord_py: None
) -> None:
    intents = guild_intents()
    intents.members = True
    greedy = EmulatedBot(intents=intents)

    with pytest.raises(discord.PrivilegedIntentsRequired):
        await start_bot(greedy)
    await greedy.close()


def sharded_bot(shard_id: int) -> commands.Bot:
    bot = EmulatedBot(shard_id=shard_id, shard_count=2)

    @bot.tree.command(description="Which shard answers")
    async def shard(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"shard {interaction.client.shard_id}")

    return bot


async def test_two_shards_get_disjoint_guilds_and_their_own_interactions(
    emulator: DiscordEmulator, launch: Launch
) -> None:
    driver = emulator.driver
    guilds = [driver.create_guild(f"g{n}", guild_id=(1_000 + n) << 22) for n in range(4)]
    channels = {g.id: driver.create_channel(g.id, "general") for g in guilds}
    members = {g.id: driver.create_member(g.id, "player") for g in guilds}
    bots = [sharded_bot(0), sharded_bot(1)]
    for bot in bots:
        await launch(bot)
    await bots[0].tree.sync()

    seen = [{g.id for g in bot.guilds} for bot in bots]
    assert seen[0].isdisjoint(seen[1]) and seen[0] | seen[1] == {g.id for g in guilds}
    for shard_id, ids in enumerate(seen):
        assert all(shard_of(guild_id, 2) == shard_id for guild_id in ids) and ids

    for guild in guilds:
        handle = driver.invoke_command(
            "shard", member=members[guild.id], channel_id=channels[guild.id].id
        )
        reply = await handle.wait_for_original()
        assert reply.content == f"shard {shard_of(guild.id, 2)}"


async def test_auto_sharded_bot_uses_gateway_bot(
    emulator: DiscordEmulator, world: World, launch: Launch
) -> None:
    # Without a shard_count, discord.py asks GET /gateway/bot for the URL and shard count.
    auto = commands.AutoShardedBot(
        command_prefix=commands.when_mentioned, intents=guild_intents(), guild_ready_timeout=0
    )

    await launch(auto)

    assert emulator.request_log.count("GET", "/gateway/bot") == 1
    assert [(s.shard_id, s.shard_count) for s in emulator.gateway.sessions] == [(0, 1)]
    assert auto.get_guild(world.guild.id) is not None
