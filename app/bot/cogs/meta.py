"""/ping: is the bot alive, which version, can it reach its database."""

from __future__ import annotations

import math

import discord
from discord import app_commands
from discord.ext import commands

from app import __version__
from app.bot.client import DebriefBot
from app.bot.replies import Reply
from app.core.i18n import _


class Meta(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    @app_commands.command(name="ping")
    async def ping(self, interaction: discord.Interaction) -> None:
        """Check that Debrief is up: gateway latency, version and database status."""
        reply = Reply(interaction)
        await reply.ack(_("Checking…"))
        database = _("ok") if await self.bot.runtime.database.ping() else _("unreachable")
        embed = discord.Embed(title=_("Pong"), colour=discord.Colour.green())
        embed.add_field(name=_("Gateway latency"), value=latency_text(self.bot.latency))
        embed.add_field(name=_("Version"), value=__version__)
        embed.add_field(name=_("Database"), value=database)
        await reply.private(embed=embed)


def latency_text(latency_s: float) -> str:
    """The gateway's latency as a player reads it. discord.py reports NaN or infinity until
    the first heartbeat is acknowledged (a few seconds after connecting): that is no number."""
    if not math.isfinite(latency_s):
        return _("not measured yet")
    return _("{ms} ms", ms=round(latency_s * 1000))


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Meta(bot))
