"""Starts and stops everything the sandbox is made of, in order.

The end-to-end tests use the same function without the console, with the test session's
database: what a newcomer tries is exactly what the tests prove.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from app.shared.embedded_db import SharedEmbeddedDatabase, free_port
from app.shared.gemini.prompts import EXTRACTION_SYSTEM
from app.shared.listening import port_in_use_message
from app.shared.local_reader import local_reader_installed
from app.shared.settings import Settings
from devtools.discord_emulator import DiscordEmulator, EmulatorConfig
from devtools.discord_emulator.config import find_spec, resolve_spec_path
from devtools.gemini_stub import ErrorAnswer, GeminiStub, JsonAnswer, Match, Rule
from devtools.gemini_stub.sample_rules import install_sample_rules
from devtools.sandbox.children import Child, start_child
from devtools.sandbox.world import SandboxWorld, WorldFileError, open_world

logger = logging.getLogger(__name__)

# The first line of the screenshot-reading prompt: how the stub tells it from text tasks.
EXTRACTION_MARKER = EXTRACTION_SYSTEM.splitlines()[0]

READY_TIMEOUT_S = 90.0


class SandboxError(RuntimeError):
    """A part of the sandbox did not start; the message says which."""


def default_reader() -> str:
    return "local" if local_reader_installed() else "gemini"


@dataclass(frozen=True)
class SandboxOptions:
    api_port: int
    # None: no web console (the end-to-end tests drive the emulator directly).
    console_port: int | None = None
    # None: the embedded database, with its data under DEBRIEF_DATA_DIR/sandbox.
    database_uri: str | None = None
    database_name: str = "debrief"
    # Bodies are validated against Discord's spec whenever it is found; True makes a missing
    # spec an error. False: a newcomer without it still gets a working sandbox.
    require_spec: bool = False
    # False: the children's GEMINI_WRITES, so debriefs and digests use their templates without
    # a word of failure (`debrief sandbox`); the tests leave it on and program what is written.
    gemini_writes: bool = True
    # Discord's 41.25 s; the tests shorten it to see many heartbeats in little time.
    heartbeat_interval_ms: int = EmulatorConfig.heartbeat_interval_ms
    # More settings for the children, e.g. a faster digest check in the tests.
    extra_env: Mapping[str, str] = field(default_factory=dict)
    # Who reads screenshots (the bot's AI_READER): "local", the on-device reader, reads any
    # screenshot a user makes; "gemini" is the stub, which reads what a test programs it to
    # (the samples, misreads, faults). Local whenever the `local-ai` extra is installed.
    reader: str = field(default_factory=default_reader)
    # With reader "gemini": whether the on-device reader (when installed) also reads every
    # screenshot and flags what it reads differently (READER_CROSS_CHECK). Off by default:
    # the stub answers what a test programs, which a real reading of the image would contest.
    cross_check: bool = False


@dataclass(frozen=True)
class Sandbox:
    api_url: str
    console_url: str | None
    emulator: DiscordEmulator
    stub: GeminiStub
    world: SandboxWorld
    children: tuple[Child, ...]

    def child(self, name: str) -> Child:
        return next(child for child in self.children if child.name == name)


@asynccontextmanager
async def open_sandbox(settings: Settings, options: SandboxOptions) -> AsyncIterator[Sandbox]:
    """Everything running and ready on entry; everything stopped, children first, on exit."""
    async with AsyncExitStack() as stack:
        database_uri = options.database_uri or await _embedded_database(settings, stack)
        emulator = await stack.enter_async_context(
            DiscordEmulator(_emulator_config(options.require_spec, options.heartbeat_interval_ms))
        )
        world = _stable_world(emulator, settings)
        stub = await stack.enter_async_context(GeminiStub(api_key=secrets.token_urlsafe(16)))
        emulate_ai(stub)

        api_url = f"http://127.0.0.1:{options.api_port}"
        # The console first: a busy port fails fast, before any child process starts.
        console_url = await _open_console(stack, options, emulator, world, api_url)
        env = child_environment(settings, options, database_uri, emulator, stub, world)
        children: list[Child] = []
        stack.push_async_callback(_stop_all, children)
        children.append(await start_child("API", ["api", "--port", str(options.api_port)], env))
        children.append(await start_child("bot", ["bot"], env))
        await _wait_until_ready(emulator, world, api_url, children)
        yield Sandbox(api_url, console_url, emulator, stub, world, tuple(children))


def _stable_world(emulator: DiscordEmulator, settings: Settings) -> SandboxWorld:
    try:
        return open_world(emulator.driver, sandbox_data_dir(settings))
    except WorldFileError as error:
        raise SandboxError(str(error)) from None


def sandbox_data_dir(settings: Settings) -> Path:
    """Everything the sandbox keeps between starts: its database and its world's ids."""
    return settings.debrief_data_dir / "sandbox"


def emulate_ai(stub: GeminiStub) -> None:
    """The sandbox's AI: it reads the sample screenshots; anything else it declines quickly.

    Rules added later win, so the catch-alls go first. Another screenshot gets "not a
    scoreboard" (an honest "unreadable"); a text task gets a non-retried error. Debriefs and
    digests never ask in `debrief sandbox` (GEMINI_WRITES=false: templates, no error logged).
    """
    stub.add_rule(Rule.always(Match(), ErrorAnswer(400, "the sandbox's AI only writes templates")))
    stub.add_rule(
        Rule.always(
            Match(prompt_contains=EXTRACTION_MARKER),
            JsonAnswer(
                {"readable": False, "reason": "the sandbox only reads the sample screenshots"}
            ),
        )
    )
    install_sample_rules(stub)


async def _open_console(
    stack: AsyncExitStack,
    options: SandboxOptions,
    emulator: DiscordEmulator,
    world: SandboxWorld,
    api_url: str,
) -> str | None:
    if options.console_port is None:
        return None
    from devtools.sandbox.console import ConsoleServer

    console = ConsoleServer(emulator, world, api_url=api_url, port=options.console_port)
    try:
        await stack.enter_async_context(console)
    except OSError:
        raise SandboxError(
            port_in_use_message(
                options.console_port, "the sandbox console", "--port", "SANDBOX_CONSOLE_PORT"
            )
        ) from None
    return console.url


async def _embedded_database(settings: Settings, stack: AsyncExitStack) -> str:
    database = SharedEmbeddedDatabase(sandbox_data_dir(settings), free_port())
    uri = await asyncio.to_thread(database.start)
    stack.callback(database.stop)
    return uri


def _emulator_config(
    require_spec: bool, heartbeat_interval_ms: int = EmulatorConfig.heartbeat_interval_ms
) -> EmulatorConfig:
    """Validation against Discord's spec whenever the file is found; without it, only
    Discord's limits hold, unless `require_spec` makes a missing spec an error."""
    spec = find_spec()
    if spec is not None:
        logger.info("Discord API spec: validating request bodies against %s", spec)
    elif not require_spec:
        logger.warning(
            "Discord API spec: not found at %s (set DISCORD_API_SPEC); request bodies are only "
            "checked against Discord's limits",
            resolve_spec_path(None),
        )
    return EmulatorConfig(
        token=secrets.token_urlsafe(24),
        spec_path=spec,
        require_spec=require_spec or spec is not None,
        heartbeat_interval_ms=heartbeat_interval_ms,
    )


def child_environment(
    settings: Settings,
    options: SandboxOptions,
    database_uri: str,
    emulator: DiscordEmulator,
    stub: GeminiStub,
    world: SandboxWorld,
) -> dict[str, str]:
    """The environment that points the real bot and API at the emulators."""
    return {
        "DEBRIEF_ENV": "sandbox",
        "MONGODB_URI": database_uri,
        "MONGODB_DATABASE": options.database_name,
        "DEBRIEF_DATA_DIR": str(sandbox_data_dir(settings)),
        "DISCORD_BOT_TOKEN": emulator.token,
        "DISCORD_API_BASE_URL": emulator.api_base_url,
        "DISCORD_GATEWAY_URL": emulator.gateway_url,
        "DISCORD_DEV_GUILD_ID": str(world.guild.id),
        "DISCORD_CLIENT_ID": str(emulator.state.application.id),
        "DISCORD_CLIENT_SECRET": emulator.config.client_secret,
        "GEMINI_API_KEY": stub.api_key,
        "GEMINI_BASE_URL": stub.base_url,
        "AI_READER": options.reader,
        "READER_CROSS_CHECK": str(options.cross_check).lower(),
        "GEMINI_WRITES": str(options.gemini_writes).lower(),
        # The stand-in cannot plan /ask questions: the local planner answers the common ones
        # and says which those are, rather than "try again" for something that never works.
        "ASK_PLANNER": "local",
        "API_HOST": "127.0.0.1",
        "API_PORT": str(options.api_port),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{options.api_port}",
        "LOG_LEVEL": settings.log_level,
        # Never the developer's production settings from .env.
        "SHARD_COUNT": "",
        "SHARD_IDS": "",
        **options.extra_env,
    }


async def _wait_until_ready(
    emulator: DiscordEmulator, world: SandboxWorld, api_url: str, children: list[Child]
) -> None:
    async def bot_connected() -> None:
        await emulator.driver.wait_for_sessions(1, timeout=READY_TIMEOUT_S)
        # The bot syncs its commands right after connecting; the emulator has no event for it.
        while not emulator.state.commands(world.guild.id):  # noqa: ASYNC110
            await asyncio.sleep(0.1)

    async def api_ready() -> None:
        async with aiohttp.ClientSession() as http:
            while True:
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"{api_url}/readyz") as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.2)

    async def nobody_died() -> None:
        dead = await first_exit(children)
        raise SandboxError(f"The {dead.name} exited while starting; see its log above.")

    ready: asyncio.Future[Any] = asyncio.ensure_future(asyncio.gather(bot_connected(), api_ready()))
    watcher: asyncio.Future[Any] = asyncio.ensure_future(nobody_died())
    try:
        done, _ = await asyncio.wait(
            {ready, watcher}, timeout=READY_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
        )
        if not done:
            raise SandboxError(f"The sandbox was not ready in {READY_TIMEOUT_S:.0f} s.")
        for task in done:
            task.result()
    finally:
        for task in (ready, watcher):
            task.cancel()
        await asyncio.gather(ready, watcher, return_exceptions=True)


async def first_exit(children: Sequence[Child]) -> Child:
    """The first child process to exit, whenever that happens."""
    waits = {asyncio.ensure_future(child.process.wait()): child for child in children}
    try:
        done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
    return waits[next(iter(done))]


async def _stop_all(children: list[Child]) -> None:
    # The bot first (it may still be replying), then the API.
    for child in reversed(children):
        await child.stop()


async def run_sandbox(
    settings: Settings, options: SandboxOptions, *, announce: Callable[[Sandbox], None]
) -> None:
    """Run until Ctrl-C or SIGTERM, or until the bot or the API dies."""
    async with open_sandbox(settings, options) as sandbox:
        announce(sandbox)
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        asked_to_stop = asyncio.ensure_future(stopping.wait())
        child_exited = asyncio.ensure_future(first_exit(sandbox.children))
        done, pending = await asyncio.wait(
            {asked_to_stop, child_exited}, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        if child_exited in done:
            dead = child_exited.result()
            raise SandboxError(f"The {dead.name} stopped unexpectedly; see its log above.")
