"""The weekly digest: a scheduler that asks the bus to post each due server's digest."""

from __future__ import annotations

import logging

from discord.ext import commands, tasks

from app.bot.client import DebriefBot
from app.core.commands import PostDigest
from app.core.errors import DomainError
from app.core.i18n import speaking

logger = logging.getLogger(__name__)


class Digest(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.schedule.change_interval(seconds=self.bot.settings.digest_check_interval_s)
        self.schedule.start()

    async def cog_unload(self) -> None:
        self.schedule.cancel()

    # Every few minutes (DIGEST_CHECK_INTERVAL_S) rather than once an hour: a restart or a
    # shard moving mid-hour still posts on time. The once-per-week claim in the database makes
    # the repeats harmless.
    @tasks.loop(minutes=5)
    async def schedule(self) -> None:
        now = self.bot.runtime.dependencies.clock()
        due = await self.bot.runtime.dependencies.guild_configs.with_digest_at(
            now.isoweekday(), now.hour
        )
        for config in due:
            # Each shard posts for the servers it serves.
            if self.bot.get_guild(config.guild_id) is None:
                continue
            try:
                with speaking(await self.bot.languages.of_guild(config.guild_id)):
                    await self.bot.bus.handle(PostDigest(guild_id=config.guild_id))
            except DomainError as error:
                logger.info("digest for guild %s skipped: %s", config.guild_id, error.user_message)
            except Exception:
                logger.exception("digest for guild %s failed; retrying next round", config.guild_id)

    @schedule.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Digest(bot))
