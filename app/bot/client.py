"""The Discord client: slash commands only, no privileged intents."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import AsyncExitStack
from dataclasses import replace
from typing import cast

import discord
from discord.ext import commands, tasks
from prometheus_client import CollectorRegistry

from app.bot import heartbeat
from app.bot.announcer import DiscordAnnouncer
from app.bot.attachments import AttachmentDownloader, allowed_origins, open_download_session
from app.bot.capture_notices import DiscordCaptureNotices
from app.bot.channels import DiscordChannelDirectory
from app.bot.command_translator import CatalogTranslator
from app.bot.errors import on_app_command_error
from app.bot.interaction_settings import ReadOncePerInteraction
from app.bot.language import LocalisedTree, ServerLanguages
from app.bot.match_replies import DiscordMatchReplies
from app.bot.owed_replies import lease_for
from app.core.admission import Admission
from app.core.bootstrap import bootstrap
from app.core.bus import MessageBus
from app.core.handlers import BOT_HANDLERS
from app.core.observability import log_dispatch, record_dispatches
from app.core.replies import longest_wait_in_line
from app.shared.chart_worker import ChartWorker
from app.shared.db.connection import PoolSize
from app.shared.gemini.usage_metrics import GeminiUsageCounters
from app.shared.runtime import Runtime, open_runtime
from app.shared.settings import Settings

logger = logging.getLogger(__name__)

EXTENSIONS = (
    "app.bot.cogs.meta",
    "app.bot.cogs.matches",
    "app.bot.cogs.stats",
    "app.bot.cogs.squad",
    "app.bot.cogs.ask",
    "app.bot.cogs.config",
    "app.bot.cogs.links",
    "app.bot.cogs.seasons",
    "app.bot.cogs.digest",
    "app.bot.cogs.outbox",
    "app.bot.cogs.captures",
)


def bot_intents() -> discord.Intents:
    # Slash commands need no message content and no member list: both are privileged.
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class DebriefBot(commands.AutoShardedBot):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=bot_intents(),
            shard_count=settings.shard_count,
            # None means "all shards"; discord.py accepts it though its stubs say list[int].
            shard_ids=cast(list[int], settings.shard_ids),
            # Don't wait for every guild's chunk before on_ready: we never need members.
            chunk_guilds_at_startup=False,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=LocalisedTree,
        )
        self.settings = settings
        self._guild_configs: ReadOncePerInteraction | None = None
        self.languages = ServerLanguages(self, lambda: self.guild_configs)
        self._resources = AsyncExitStack()
        self._runtime: Runtime | None = None
        self._bus: MessageBus | None = None
        self._attachments: AttachmentDownloader | None = None
        # One chart worker for every cog that draws (/trend, /compare): started on the first
        # chart, so matplotlib never loads in the bot, and one process at most.
        self.charts = ChartWorker()
        # Counted like the API's, but the bot serves no /metrics: nothing scrapes this
        # registry; the per-call log line is where the bot's Gemini usage is visible.
        self.gemini_usage = GeminiUsageCounters(CollectorRegistry())
        # The reply a /debrief owes is leased before it joins the line; see longest_wait_in_line.
        self.admission = Admission(
            settings.debrief_concurrency,
            max_wait_s=longest_wait_in_line(lease_for(settings)).total_seconds(),
        )

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the bot is not set up yet")
        return self._runtime

    @property
    def guild_configs(self) -> ReadOncePerInteraction:
        if self._guild_configs is None:
            raise RuntimeError("the bot is not set up yet")
        return self._guild_configs

    @property
    def bus(self) -> MessageBus:
        if self._bus is None:
            raise RuntimeError("the bot is not set up yet")
        return self._bus

    @property
    def attachments(self) -> AttachmentDownloader:
        if self._attachments is None:
            raise RuntimeError("the bot is not set up yet")
        return self._attachments

    async def setup_hook(self) -> None:
        runtime = await self._resources.enter_async_context(
            open_runtime(
                self.settings,
                app_name="debrief-bot",
                on_ai_usage=self.gemini_usage.record,
                pool=pool_for(self.settings),
            )
        )
        # A server's settings, read for an interaction's language, serve its handlers too.
        guild_configs = ReadOncePerInteraction(
            runtime.dependencies.guild_configs, on_read=self.languages.settings.learn
        )
        self._guild_configs = guild_configs
        self._runtime = replace(
            runtime, dependencies=replace(runtime.dependencies, guild_configs=guild_configs)
        )
        session = await self._resources.enter_async_context(
            open_download_session(self.settings.attachment_download_timeout_s)
        )
        self._attachments = AttachmentDownloader(
            session, allowed_origins(self.settings.discord_api_base_url)
        )
        channels = DiscordChannelDirectory(self)
        self._bus = bootstrap(
            self._runtime.dependencies,
            self._runtime.ai,
            handlers=BOT_HANDLERS,
            middleware=[record_dispatches(log_dispatch)],
            extra_dependencies={
                "announcer": DiscordAnnouncer(self, channels),
                "capture_notifier": DiscordCaptureNotices(self, channels),
                "channels": channels,
                "match_replies": DiscordMatchReplies(self),
                # Replies go through the outbox, so a restart between saving and replying
                # loses none; this process keeps each to itself for this long.
                "match_reply_lease": lease_for(self.settings),
            },
        )
        # Before the gateway connects: the first /debrief should not start the image workers,
        # nor load the on-device reader's model when that reads the screenshots.
        await self._runtime.ai.images.warm_up()
        await self._runtime.ai.stats_reader.warm_up()
        self.tree.error(on_app_command_error)
        # Names and descriptions in every language of the catalog, sent with the sync.
        await self.tree.set_translator(CatalogTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self._sync_commands()
        self._beat.start()

    async def _sync_commands(self) -> None:
        guild_id = self.settings.discord_dev_guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        logger.info(
            "synced %d slash commands%s", len(synced), f" to guild {guild_id}" if guild_id else ""
        )

    @tasks.loop(seconds=20)
    async def _beat(self) -> None:
        if not self.is_closed() and self.is_ready():
            heartbeat.touch(self.settings.debrief_data_dir)

    async def close(self) -> None:
        self._beat.cancel()
        try:
            await super().close()
        finally:
            await self.charts.close()
            await self._resources.aclose()


# Besides the debriefs in progress: the outbox consumer (its claims and its change stream),
# the digest schedule, reads of /history, /trend, /leaderboard, and a burst's replies being
# put on record before their debriefs wait in line.
OTHER_OPERATIONS = 16


def pool_for(settings: Settings) -> PoolSize:
    """Open at start-up what the debriefs in progress use at once (each runs one database
    operation at a time), so a burst opens no connection; more only beyond that."""
    return PoolSize(
        least=settings.debrief_concurrency,
        most=max(PoolSize().most, settings.debrief_concurrency + OTHER_OPERATIONS),
    )


async def run_bot(settings: Settings, token: str) -> None:
    """Run until the gateway closes or the process is told to stop, then close cleanly."""
    async with DebriefBot(settings) as bot:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            # Containers stop with SIGTERM: close the gateway and the database instead of dying.
            loop.add_signal_handler(signum, lambda: loop.create_task(bot.close()))
        await bot.start(token)
