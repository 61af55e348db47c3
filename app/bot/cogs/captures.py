"""The capture sweeper: finishes the squad captures of uploads a process saved and did not get
to capture for (it died, or the database failed), once they are a grace period old."""

from __future__ import annotations

import logging

from discord.ext import commands, tasks

from app.bot.client import DebriefBot
from app.core.commands import FinishPendingCaptures
from app.core.squad.sweeping import SWEEP_EVERY

logger = logging.getLogger(__name__)


class CaptureSweeper(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.sweep.start()

    async def cog_unload(self) -> None:
        self.sweep.cancel()

    # Any number of bot processes may sweep at once: each capture is recorded once whoever
    # makes it (the same-match claim and the unique index), and a notice is sent by its maker.
    @tasks.loop(seconds=SWEEP_EVERY.total_seconds())
    async def sweep(self) -> None:
        try:
            await self.bot.bus.handle(FinishPendingCaptures())
        except Exception:
            logger.exception("the capture sweep failed; retrying next round")

    @sweep.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(CaptureSweeper(bot))
