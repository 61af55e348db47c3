"""The JSON control API under /_emulator, and the standalone `python -m` entry point."""

from __future__ import annotations

import asyncio
import base64
import re
import sys
from pathlib import Path

import discord
import httpx
import pytest

from devtools.discord_emulator import DiscordEmulator
from devtools.discord_emulator.config import find_spec
from tests.support.discord_spec import MINIATURE_SPEC

from .bots import EmulatedBot
from .conftest import Launch, World


async def test_a_console_can_drive_a_real_bot(
    emulator: DiscordEmulator, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Post a match")
    async def debrief(interaction: discord.Interaction, scoreboard: discord.Attachment) -> None:
        await interaction.response.defer()
        data = await scoreboard.read()
        await interaction.followup.send(f"read {len(data)} bytes from {scoreboard.filename}")

    await launch(bot)
    await bot.tree.sync()
    async with httpx.AsyncClient(base_url=emulator.base_url + "/_emulator") as console:
        joined = bot.wait_for("guild_join", timeout=5)
        guild = (await console.post("/guilds", json={"name": "Console"})).json()
        await joined
        channel = (
            await console.post(f"/guilds/{guild['id']}/channels", json={"name": "general"})
        ).json()
        member = (
            await console.post(
                f"/guilds/{guild['id']}/members", json={"username": "console-player"}
            )
        ).json()
        attachment = (
            await console.post(
                "/attachments",
                json={
                    "filename": "shot.png",
                    "content_type": "image/png",
                    "data_base64": base64.b64encode(b"12345").decode(),
                },
            )
        ).json()
        invoked = await console.post(
            "/interactions/command",
            json={
                "name": "debrief",
                "member_id": member["user"]["id"],
                "channel_id": channel["id"],
                "options": {"scoreboard": attachment["id"]},
            },
        )
        done = (
            await console.get(
                f"/interactions/{invoked.json()['id']}", params={"wait": "followup", "timeout": "5"}
            )
        ).json()
        messages = (await console.get(f"/channels/{channel['id']}/messages")).json()
        state = (await console.get("/state")).json()

    assert invoked.status_code == 201 and done["timed_out"] is False
    assert done["callback_type"] == 5
    assert done["followups"][0]["content"] == "read 5 bytes from shot.png"
    assert [m["content"] for m in messages] == ["read 5 bytes from shot.png"]
    assert [s["connected"] for s in state["sessions"]] == [True]
    assert {g["name"] for g in state["guilds"]} == {"Console"}


async def test_faults_clock_and_logs_through_the_console(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    channel = bot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    messages = "/channels/{channel_id}/messages"
    async with httpx.AsyncClient(base_url=emulator.base_url + "/_emulator") as console:
        await console.post(
            "/faults/rest",
            json={
                "status": 429,
                "count": 1,
                "method": "POST",
                "path": messages,
                "retry_after": 0.01,
            },
        )
        await channel.send("through a 429")
        logged = (
            await console.get("/requests", params={"method": "POST", "path": messages})
        ).json()
        resumed = bot.wait_for("resumed", timeout=5)
        await console.post("/gateway/abort", json={})
        await resumed
        before = emulator.clock.now()
        advanced = (await console.post("/clock/advance", json={"seconds": 60})).json()
        await console.post("/faults/latency", json={"seconds": 5})
        cleared = await console.delete("/faults")
        bad_action = await console.post("/gateway/explode", json={})
        unknown_guild = await console.post("/guilds/1/channels", json={"name": "x"})
        missing_field = await console.post(f"/guilds/{world.guild.id}/members", json={})

    assert [entry["status"] for entry in logged] == [429, 200]
    assert advanced["now"] >= before + 60
    assert cleared.status_code == 200 and emulator.faults.take_latency("GET", "/", None) == 0
    assert bad_action.status_code == 400 and unknown_guild.status_code == 404
    assert missing_field.json() == {"error": "missing field 'username'"}


@pytest.mark.parametrize("given", [False, True], ids=["spec where found", "--spec"])
async def test_standalone_process_serves_the_default_world(given: bool) -> None:
    spec_args = ["--spec", str(MINIATURE_SPEC)] if given else []
    expected_spec = MINIATURE_SPEC if given else find_spec()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "devtools.discord_emulator",
        "--port",
        "0",
        "--token",
        "t0k",
        *spec_args,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        # Generous for a loaded machine: the wait ends as soon as the emulator listens.
        logged = await asyncio.wait_for(_read_until_listening(process.stderr), 60)
        control_url = re.findall(r"control API (\S+)", logged)[0]
        async with httpx.AsyncClient() as client:
            state = (await client.get(control_url)).json()
            me = await client.get(
                state["api_base_url"] + "/users/@me", headers={"Authorization": "Bot t0k"}
            )
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)

    if expected_spec is None:
        assert "Discord API spec: not found at" in logged
    else:
        assert f"Discord API spec: validating request bodies against {expected_spec}" in logged
    [guild] = state["guilds"]
    assert guild["name"] == "Sandbox"
    assert [c["name"] for c in guild["channels"]] == ["general"]
    assert "sandbox-player" in [m["user"]["username"] for m in guild["members"]]
    assert me.status_code == 200 and me.json()["bot"] is True
    assert process.returncode == 0


async def test_standalone_process_refuses_a_given_spec_that_is_not_there(tmp_path: Path) -> None:
    missing = tmp_path / "openapi.json"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "devtools.discord_emulator",
        "--spec",
        str(missing),
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)

    assert process.returncode != 0
    assert f"Discord's OpenAPI spec is not at {missing}" in stderr.decode()


async def _read_until_listening(stream: asyncio.StreamReader) -> str:
    """What the emulator logged up to and including the line with its control API's URL."""
    logged = ""
    while line := (await stream.readline()).decode():
        logged += line
        if "control API " in line:
            return logged
    raise AssertionError(f"the emulator exited before it was listening:\n{logged}")
