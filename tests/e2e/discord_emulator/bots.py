"""Minimal real discord.py bots for driving the emulator."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord.ext import commands

TOKEN = "emulator-test-token"
READY_TIMEOUT = 10.0


def guild_intents() -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class EmulatedBot(commands.Bot):
    """A slash-command bot as the product runs it: guilds intent only, no prefix commands."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("intents", guild_intents())
        super().__init__(command_prefix=commands.when_mentioned, guild_ready_timeout=0, **options)
        self.ready_count = 0

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s pause before a re-IDENTIFY; the emulator has no quota."""

    async def on_ready(self) -> None:
        self.ready_count += 1


async def start_bot(bot: discord.Client) -> asyncio.Task[None]:
    """Start the bot and return once on_ready fired; raises if it died on the way."""
    runner = asyncio.create_task(bot.start(TOKEN), name="emulated-bot")
    ready = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait(
        {runner, ready}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
    )
    if runner in done:
        ready.cancel()
        runner.result()  # re-raises why the bot stopped
        raise RuntimeError("the bot stopped before it was ready")
    if ready not in done:
        ready.cancel()
        runner.cancel()
        raise TimeoutError("the bot did not become ready")
    return runner


async def stop_bot(bot: discord.Client, runner: asyncio.Task[None]) -> None:
    await bot.close()
    await asyncio.wait_for(runner, READY_TIMEOUT)
