"""The bot's outbox consumer: commands from the API (e.g. "post the digest now"), and match
replies that the process which received the interaction did not send."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection

from discord.ext import commands

from app.bot.client import DebriefBot
from app.bot.outbox import BOT_KINDS, WAKE_FOR, BusDelivery, OutboxConsumer
from app.bot.outbox.consumer import every_guild

logger = logging.getLogger(__name__)


def consumer_name(shard_ids: Collection[int] | None) -> str:
    """One saved stream position per set of shards: processes serving the same shards share it."""
    if shard_ids is None:
        return "bot"
    return "bot-shards-" + "-".join(str(shard_id) for shard_id in sorted(shard_ids))


class Outbox(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._consume(), name="outbox consumer")

    async def cog_unload(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        # Waits for the cancellation to finish (a delivery in flight gives its digest claim
        # back) without raising it here; the message is retried once its lease runs out.
        await asyncio.wait({self._task})
        self._task = None

    async def _consume(self) -> None:
        # Commands post into channels: wait for the gateway, and with it the server cache.
        await self.bot.wait_until_ready()
        shard_ids = self.bot.settings.shard_ids
        dependencies = self.bot.runtime.dependencies
        consumer = OutboxConsumer(
            dependencies.outbox,
            BusDelivery(self.bot.bus),
            name=consumer_name(shard_ids),
            kinds=BOT_KINDS,
            wake_for=WAKE_FOR,
            clock=dependencies.clock,
            # With SHARD_IDS set, other processes serve the other shards: claim only the
            # messages for servers this one is in (the shards' guilds).
            served_guilds=every_guild if shard_ids is None else self._served_guild_ids,
        )
        logger.info("consuming outbox commands as %r", consumer_name(shard_ids))
        await consumer.run()

    def _served_guild_ids(self) -> list[int]:
        return [guild.id for guild in self.bot.guilds]


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Outbox(bot))
