"""429s (injected and the global 50/s limit), 5xx answers and latency, against discord.py."""

from __future__ import annotations

import asyncio
import time

import discord
import httpx
import pytest

from devtools.discord_emulator import DiscordEmulator

from .bots import TOKEN, EmulatedBot
from .conftest import Launch, World

MESSAGES = "/channels/{channel_id}/messages"


def text_channel(bot: discord.Client, world: World) -> discord.TextChannel:
    channel = bot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    return channel


@pytest.mark.parametrize("is_global", [False, True], ids=["route", "global"])
async def test_discord_py_retries_after_a_429(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch, is_global: bool
) -> None:
    await launch(bot)
    emulator.faults.rate_limit(
        count=2, method="POST", path=MESSAGES, retry_after=0.05, is_global=is_global
    )

    sent = await text_channel(bot, world).send("after two 429s")

    statuses = [e.status for e in emulator.request_log.matching("POST", MESSAGES)]
    assert statuses == [429, 429, 200]
    assert emulator.state.message(sent.id).content == "after two 429s"


async def test_429_on_the_interaction_webhook_is_retried(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await interaction.followup.send("pong")

    await launch(bot)
    await bot.tree.sync()
    emulator.faults.rate_limit(count=1, method="POST", path="/webhooks/*", retry_after=0.05)
    handle = emulator.driver.invoke_command(
        "ping", member=world.member, channel_id=world.channel.id
    )

    assert (await handle.wait_for_followup()).content == "pong"
    assert [e.status for e in emulator.request_log.matching("POST", "/webhooks/*")] == [429, 200]


async def test_a_too_long_retry_after_raises_rate_limited(
    emulator: DiscordEmulator, world: World, launch: Launch
) -> None:
    # discord.py raises the floor of max_ratelimit_timeout to 30 s.
    bot = await launch(EmulatedBot(max_ratelimit_timeout=30.0))
    emulator.faults.rate_limit(count=1, method="POST", path=MESSAGES, retry_after=60)

    with pytest.raises(discord.RateLimited) as raised:
        await text_channel(bot, world).send("never sent")
    assert raised.value.retry_after == 60


async def test_global_limit_answers_like_discord(emulator: DiscordEmulator, world: World) -> None:
    headers = {"Authorization": f"Bot {TOKEN}"}
    async with httpx.AsyncClient(base_url=emulator.api_base_url, headers=headers) as client:
        answers = await asyncio.gather(*(client.get("/users/@me") for _ in range(60)))
        limited = [a for a in answers if a.status_code == 429]
        # 50 in the first second; only a machine slower than 60 calls/s would see fewer 429s.
        assert sum(a.status_code == 200 for a in answers) <= 50 and len(limited) >= 10
        assert len(limited) + sum(a.status_code == 200 for a in answers) == 60

        sample = limited[0]
        assert sample.headers["Content-Type"] == "application/json"
        assert sample.headers["Via"] == "1.1 google"
        assert sample.headers["X-RateLimit-Global"] == "true"
        assert sample.headers["X-RateLimit-Scope"] == "global"
        body = sample.json()
        assert body["global"] is True and body["message"] == "You are being rate limited."
        assert 0 < body["retry_after"] <= 1

        emulator.clock.advance(body["retry_after"])
        assert (await client.get("/users/@me")).status_code == 200
    assert emulator.request_log.count(path="/users/@me", status=429) == len(limited)


async def test_interaction_callbacks_are_exempt_from_the_global_limit(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    await launch(bot)
    await bot.tree.sync()
    headers = {"Authorization": f"Bot {TOKEN}"}
    async with httpx.AsyncClient(base_url=emulator.api_base_url, headers=headers) as client:
        await asyncio.gather(*(client.get("/users/@me") for _ in range(55)))

    handle = emulator.driver.invoke_command(
        "ping", member=world.member, channel_id=world.channel.id
    )
    assert (await handle.wait_for_original()).content == "pong"


async def test_500_then_success_is_retried(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    emulator.faults.server_error(500, count=1, method="POST", path=MESSAGES)

    await text_channel(bot, world).send("eventually")

    assert [e.status for e in emulator.request_log.matching("POST", MESSAGES)] == [500, 200]


async def test_503_is_raised_to_the_caller(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    emulator.faults.server_error(503, count=1, method="POST", path=MESSAGES)

    with pytest.raises(discord.DiscordServerError):
        await text_channel(bot, world).send("refused")
    await text_channel(bot, world).send("the fault is used up")


async def test_added_latency_delays_matching_calls(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    emulator.faults.add_latency(0.3, method="GET", path="/channels/{channel_id}", count=1)

    started = time.perf_counter()
    await bot.fetch_channel(world.channel.id)
    assert time.perf_counter() - started >= 0.3
    [entry] = emulator.request_log.matching("GET", "/channels/{channel_id}")
    assert entry.duration >= 0.3
