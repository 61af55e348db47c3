"""Discord's interaction rules: 3 s to acknowledge, once, and 15 min of follow-ups; Bot auth."""

from __future__ import annotations

import asyncio

import discord
import httpx

from devtools.discord_emulator import DiscordEmulator

from .bots import EmulatedBot
from .conftest import Launch, World


async def test_late_acknowledgement_is_unknown_interaction(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    proceed = asyncio.Event()
    outcome: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()

    @bot.tree.command(description="Too slow")
    async def slow(interaction: discord.Interaction) -> None:
        await proceed.wait()
        try:
            await interaction.response.send_message("too late")
        except discord.NotFound as error:
            outcome.set_result(error)
        else:
            outcome.set_result(None)

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command(
        "slow", member=world.member, channel_id=world.channel.id
    )
    emulator.clock.advance(3.1)
    proceed.set()

    error = await asyncio.wait_for(outcome, 5)
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert handle.responses == [] and handle.callback_type is None


async def test_second_acknowledgement_is_refused(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command(
        "ping", member=world.member, channel_id=world.channel.id
    )
    await handle.wait_for_ack()

    async with httpx.AsyncClient(base_url=emulator.api_base_url) as client:
        again = await client.post(
            f"/interactions/{handle.id}/{handle.token}/callback",
            json={"type": 4, "data": {"content": "again"}},
        )
    assert again.status_code == 400 and again.json()["code"] == 40060


async def test_follow_up_after_15_minutes_is_refused(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    proceed = asyncio.Event()
    outcomes: asyncio.Queue[BaseException | None] = asyncio.Queue()

    @bot.tree.command(description="Slow report")
    async def report(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        for _ in range(2):
            await proceed.wait()
            proceed.clear()
            try:
                await interaction.followup.send("report ready")
            except discord.HTTPException as error:
                outcomes.put_nowait(error)
            else:
                outcomes.put_nowait(None)

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command(
        "report", member=world.member, channel_id=world.channel.id
    )
    await handle.wait_for_ack()

    emulator.clock.advance(14 * 60)
    proceed.set()
    assert await asyncio.wait_for(outcomes.get(), 5) is None
    emulator.clock.advance(61)
    proceed.set()

    late = await asyncio.wait_for(outcomes.get(), 5)
    assert isinstance(late, discord.HTTPException) and late.status == 401 and late.code == 50027
    assert len(handle.followups) == 1


async def test_bot_routes_require_the_bot_token(emulator: DiscordEmulator, world: World) -> None:
    async with httpx.AsyncClient(base_url=emulator.api_base_url) as client:
        anonymous = await client.get("/users/@me")
        wrong = await client.get("/users/@me", headers={"Authorization": "Bot nope"})
        gateway = await client.get("/gateway")

    assert anonymous.status_code == wrong.status_code == 401
    assert anonymous.json() == {"message": "401: Unauthorized", "code": 40001}
    assert gateway.json() == {"url": emulator.gateway_url}


async def test_unknown_interaction_token_is_404(emulator: DiscordEmulator, world: World) -> None:
    async with httpx.AsyncClient(base_url=emulator.api_base_url) as client:
        answer = await client.post("/interactions/123/not-a-token/callback", json={"type": 5})
    assert answer.status_code == 404 and answer.json()["code"] == 10062


async def test_callback_type_must_fit_the_interaction(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    received = asyncio.Event()

    @bot.tree.command(description="Leaves the answer to the test")
    async def silent(interaction: discord.Interaction) -> None:
        received.set()

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command(
        "silent", member=world.member, channel_id=world.channel.id
    )
    await asyncio.wait_for(received.wait(), 5)
    callback = f"/interactions/{handle.id}/{handle.token}/callback"
    async with httpx.AsyncClient(base_url=emulator.api_base_url) as client:
        update = await client.post(callback, json={"type": 7, "data": {"content": "no"}})
        reply = await client.post(
            callback, params={"with_response": "true"}, json={"type": 4, "data": {"content": "yes"}}
        )

    assert update.status_code == 400
    assert update.json()["errors"]["type"]["_errors"][0]["code"] == (
        "INTERACTION_CALLBACK_TYPE_INVALID"
    )
    answer = reply.json()
    assert answer["interaction"]["id"] == str(handle.id)
    assert answer["resource"]["type"] == 4 and answer["resource"]["message"]["content"] == "yes"
    assert emulator.take_spec_violations() == []
