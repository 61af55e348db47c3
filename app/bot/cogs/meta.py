"""/ping: is the bot alive, which version, can it reach its database."""

from __future__ import annotations

import math

import discord
from discord import app_commands
from discord.ext import commands

from app import __version__
from app.bot.client import DebriefBot
from app.bot.replies import Reply


class Meta(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    @app_commands.command(name="ping")
    async def ping(self, interaction: discord.Interaction) -> None:
        """Check that Debrief is up: gateway latency, version and database status."""
        reply = Reply(interaction)
        await reply.ack("Checking…")
        database = "ok" if await self.bot.runtime.database.ping() else "unreachable"
        # latency is NaN until the first heartbeat is acknowledged.
        latency_ms = 0 if math.isnan(self.bot.latency) else round(self.bot.latency * 1000)
        embed = discord.Embed(title="Pong", colour=discord.Colour.green())
        embed.add_field(name="Gateway latency", value=f"{latency_ms} ms")
        embed.add_field(name="Version", value=__version__)
        embed.add_field(name="Database", value=database)
        await reply.private(embed=embed)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Meta(bot))
