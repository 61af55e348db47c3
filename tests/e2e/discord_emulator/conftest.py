"""Fixtures: a fresh emulator per test, discord.py pointed at it, and real bots."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from devtools.discord_emulator import (
    Channel,
    DiscordEmulator,
    EmulatorConfig,
    Guild,
    Member,
)
from devtools.discord_emulator.discord_py import discord_py_pointed_at

from .bots import TOKEN, EmulatedBot, start_bot, stop_bot

Launch = Callable[[discord.Client], Awaitable[discord.Client]]


@pytest.fixture
async def emulator(discord_spec: Path | None) -> AsyncIterator[DiscordEmulator]:
    """A running emulator; the test fails if anything sent a body Discord would refuse (by its
    spec when found, see tests/support/discord_spec.py, and by its limits)."""
    config = EmulatorConfig(
        token=TOKEN, spec_path=discord_spec, require_spec=discord_spec is not None
    )
    async with DiscordEmulator(config) as emulator:
        yield emulator
        emulator.assert_no_spec_violations()


@dataclass(frozen=True)
class World:
    guild: Guild
    channel: Channel
    member: Member


@pytest.fixture
def world(emulator: DiscordEmulator) -> World:
    guild = emulator.driver.create_guild("Sandbox")
    channel = emulator.driver.create_channel(guild.id, "general")
    member = emulator.driver.create_member(guild.id, "player")
    return World(guild, channel, member)


@pytest.fixture
def discord_py(emulator: DiscordEmulator) -> Iterator[None]:
    """discord.py's module-level URLs point at the emulator during the test, then are restored."""
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    with discord_py_pointed_at(emulator.api_base_url, emulator.gateway_url):
        yield
    restored = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    assert restored == before


@pytest.fixture
def bot() -> EmulatedBot:
    return EmulatedBot()


@pytest.fixture
async def launch(discord_py: None) -> AsyncIterator[Launch]:
    """Start bots until they are ready; every bot started is closed after the test."""
    running: list[tuple[discord.Client, asyncio.Task[None]]] = []

    async def start(client: discord.Client) -> discord.Client:
        running.append((client, await start_bot(client)))
        return client

    yield start
    for client, runner in reversed(running):
        await stop_bot(client, runner)
