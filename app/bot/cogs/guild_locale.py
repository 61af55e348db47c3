"""Discord's language for each server, stored where a process without the gateway reads it.

The API writes debriefs too (a correction from the dashboard) and posts digests on request,
in the server's language (`GuildLanguages`); without a setting that is Discord's language for
the server, which only the gateway tells. The bot stores it when a read of a server's settings
shows it missing or different (`ServerLanguages`: the first command or reply there), and here
when Discord says it changed; not for every server at each connect.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands
from pymongo.errors import PyMongoError

from app.bot.client import DebriefBot

logger = logging.getLogger(__name__)


class GuildLocale(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_update(self, before: discord.Guild, after: discord.Guild) -> None:
        if before.preferred_locale != after.preferred_locale:
            await self._store(after)

    async def _store(self, guild: discord.Guild) -> None:
        configs = self.bot.runtime.dependencies.guild_configs
        try:
            await configs.remember_discord_locale(guild.id, guild.preferred_locale.value)
        except PyMongoError:
            # The bot itself knows it from the gateway; only the API's text waits for the next.
            logger.warning("guild %s: Discord's language not stored", guild.id, exc_info=True)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(GuildLocale(bot))
