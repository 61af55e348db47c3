"""The sandbox's stack, with a Discord world built before the bot connects.

`open_sandbox` seeds its one-server world and starts the bot at once; the memory benchmark
needs a thousand servers in the emulator first, so that the bot receives them as it would at
start-up (READY, then one GUILD_CREATE each). The parts are the sandbox's own: the emulator,
the stub with the sandbox's AI, the children's environment and the child processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from app.shared.embedded_db import free_port
from app.shared.settings import Settings
from devtools.discord_emulator import DiscordEmulator, EmulatorConfig
from devtools.discord_emulator.config import resolve_spec_path
from devtools.gemini_stub import GeminiStub
from devtools.sandbox.children import Child, start_child
from devtools.sandbox.orchestrator import SandboxOptions, child_environment, emulate_ai
from devtools.sandbox.world import SandboxWorld, seed_sandbox

READY_TIMEOUT_S = 120.0
ACK_TIMEOUT_S = 60.0
# The API's load comes from one player: with the per-user read limits (120 a minute, 4 at a
# time) nearly every request would be refused at once, and the API would be measured doing
# almost nothing. bench/abuse_reads.py measures the limits.
UNLIMITED_READS = {"READ_RATE_LIMIT": "1000000/minute", "READ_MAX_IN_FLIGHT": "1000"}


class StackError(RuntimeError):
    """A part of the stack did not start or stopped early."""


@dataclass(frozen=True)
class Servers:
    """How many extra servers (beside the sandbox's own) to create, with how many channels."""

    count: int
    channels_each: int


@dataclass(frozen=True)
class Stack:
    emulator: DiscordEmulator
    world: SandboxWorld
    bot: Child
    api: Child
    api_url: str


def build_servers(emulator: DiscordEmulator, servers: Servers) -> None:
    driver = emulator.driver
    for number in range(servers.count):
        guild = driver.create_guild(f"Squad {number}")
        for channel in range(servers.channels_each):
            driver.create_channel(guild.id, f"channel-{channel}")


@asynccontextmanager
async def open_stack(
    settings: Settings, database_uri: str, database_name: str, servers: Servers
) -> AsyncIterator[Stack]:
    """Bot and API running, every server received by the bot; all stopped on exit."""
    async with AsyncExitStack() as stack:
        spec_found = resolve_spec_path(None).is_file()
        config = EmulatorConfig(token=secrets.token_urlsafe(24), require_spec=spec_found)
        emulator = await stack.enter_async_context(DiscordEmulator(config))
        world = seed_sandbox(emulator.driver)
        build_servers(emulator, servers)
        stub = await stack.enter_async_context(GeminiStub(api_key=secrets.token_urlsafe(16)))
        emulate_ai(stub)
        options = SandboxOptions(
            api_port=free_port(),
            database_uri=database_uri,
            database_name=database_name,
            extra_env=UNLIMITED_READS,
            # The stub reads the screenshots: the figures are the bot's and the API's memory.
            reader="gemini",
        )
        env = child_environment(settings, options, database_uri, emulator, stub, world)
        api_url = f"http://127.0.0.1:{options.api_port}"
        api = await start_child("API", ["api", "--port", str(options.api_port)], env)
        stack.push_async_callback(api.stop)
        bot = await start_child("bot", ["bot"], env)
        stack.push_async_callback(bot.stop)
        running = Stack(emulator, world, bot, api, api_url)
        await _while_alive(running, _ready(running), READY_TIMEOUT_S)
        yield running


async def _ready(stack: Stack) -> None:
    await asyncio.gather(_bot_has_every_server(stack), _api_ready(stack.api_url))


async def _bot_has_every_server(stack: Stack) -> None:
    """Until the bot answers a /ping sent after every GUILD_CREATE on the same socket.

    Gateway events are handled in order, so the answer proves the bot has read them all.
    """
    driver, guild_id = stack.emulator.driver, stack.world.guild.id
    await driver.wait_for_sessions(1, timeout=READY_TIMEOUT_S)
    # The bot syncs its commands right after connecting; the emulator has no event for it.
    while not stack.emulator.state.commands(guild_id):  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    ping = driver.invoke_command(
        "ping", member=stack.world.player, channel_id=stack.world.channel.id
    )
    await ping.wait_for_ack(timeout=ACK_TIMEOUT_S)


async def _api_ready(api_url: str) -> None:
    async with aiohttp.ClientSession() as http:
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"{api_url}/readyz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.2)


async def _while_alive(stack: Stack, work: Coroutine[Any, Any, None], timeout_s: float) -> None:
    """Run `work`, failing fast if the bot or the API exits meanwhile."""
    task = asyncio.ensure_future(work)
    deadline = asyncio.get_running_loop().time() + timeout_s
    try:
        while not task.done():
            if not (stack.bot.running and stack.api.running):
                raise StackError("The bot or the API exited while starting; see its log above.")
            if asyncio.get_running_loop().time() > deadline:
                raise StackError(f"The stack was not ready in {timeout_s:.0f} s.")
            await asyncio.wait({task}, timeout=0.2)
        task.result()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
