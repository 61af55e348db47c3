"""A real discord.py bot logs in, receives its guilds and syncs its slash commands."""

from __future__ import annotations

import discord
from discord import app_commands

from devtools.discord_emulator import DiscordEmulator

from .bots import EmulatedBot
from .conftest import Launch, World


async def test_bot_connects_and_sees_its_guild(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    await emulator.driver.wait_for_sessions(1, timeout=1)

    assert bot.user is not None and bot.user.id == emulator.state.bot_user.id
    assert bot.application_id == emulator.state.application.id
    guild = bot.get_guild(world.guild.id)
    assert guild is not None and guild.name == "Sandbox"
    assert [channel.name for channel in guild.text_channels] == ["general"]
    assert guild.me.guild_permissions.send_messages
    startup = [(e.method, e.template) for e in emulator.request_log.entries]
    assert startup[:2] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me")]


async def test_guild_created_after_ready_reaches_the_bot(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    joined = bot.wait_for("guild_join", timeout=5)

    created = emulator.driver.create_guild("Second")

    guild: discord.Guild = await joined
    assert guild.id == created.id and bot.get_guild(created.id) is not None


async def test_global_sync_registers_commands(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Check the bot is alive")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @bot.tree.command(description="Post a match")
    @app_commands.describe(scoreboard="End-of-match screenshot")
    async def debrief(
        interaction: discord.Interaction, scoreboard: discord.Attachment, note: str | None = None
    ) -> None:
        await interaction.response.defer()

    await launch(bot)
    synced = await bot.tree.sync()

    assert sorted(command.name for command in synced) == ["debrief", "ping"]
    fetched = await bot.tree.fetch_commands()
    assert {c.id for c in fetched} == {c.id for c in synced}
    stored = {c["name"]: c for c in emulator.state.commands(None)}
    assert [o["type"] for o in stored["debrief"]["options"]] == [11, 3]
    # A second overwrite keeps the ids of unchanged commands, as Discord does.
    again = await bot.tree.sync()
    assert {c.id for c in again} == {c.id for c in synced}


async def test_guild_sync_registers_commands_for_that_guild_only(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    target = discord.Object(id=world.guild.id)

    @bot.tree.command(description="Guild-only admin command", guild=target)
    async def config(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    await launch(bot)
    synced = await bot.tree.sync(guild=target)

    assert [c.name for c in synced] == ["config"]
    assert [c["name"] for c in emulator.state.commands(world.guild.id)] == ["config"]
    assert emulator.state.commands(None) == []
    assert emulator.request_log.count("PUT", "/applications/*/guilds/*/commands") == 1
