"""The sandbox across restarts, and what its bot logs, through the real bot and API processes.

`open_sandbox` here runs as `debrief sandbox` does (embedded database under the data
directory, the AI writing nothing), minus the console; the children's logs reach this
process's standard error, which `capfd` reads.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from app.shared.embedded_db import free_port
from app.shared.settings import load_settings
from devtools.sandbox.orchestrator import Sandbox, SandboxError, SandboxOptions, open_sandbox
from devtools.sandbox.world import WORLD_FILE
from tests.e2e.bot.support import (
    OVERLOAD_SCOREBOARD,
    invoke,
    only_embed,
    posted_debrief,
    private_outcome,
)

pytestmark = pytest.mark.e2e

MATCH_ID = re.compile(r"`([0-9a-f]{24})`")
# A log line of level ERROR or worse, as the children write them (text format).
ERROR_LINE = re.compile(r"^\S+ (ERROR|CRITICAL) ", re.MULTILINE)


def sandbox_options() -> SandboxOptions:
    """What `debrief sandbox` runs, minus the console."""
    return SandboxOptions(api_port=free_port(), gemini_writes=False)


async def listed_matches(stack: Sandbox) -> list[str]:
    handle = invoke(stack, "history", stack.world.player)
    assert (await private_outcome(handle, "Fetching matches…")).content == "Here you go."
    values = [f["value"] for f in only_embed(stack, await handle.wait_for_followup())["fields"]]
    return [found[1] for found in map(MATCH_ID.search, values) if found]


async def test_a_restarted_sandbox_is_the_same_server_with_the_same_matches(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(debrief_env="sandbox", debrief_data_dir=tmp_path / ".debrief")

    async with open_sandbox(settings, sandbox_options()) as first:
        before = first.world.ids
        message, match_id = await posted_debrief(first, first.world.player, OVERLOAD_SCOREBOARD)
        # The sandbox's AI writes nothing: the debrief is the template's, and nobody is alarmed.
        assert only_embed(first, message)
    first_logs = capfd.readouterr().err

    async with open_sandbox(settings, sandbox_options()) as second:
        assert second.world.ids == before
        assert second.emulator.state.guild(before.guild).channels.keys() == {before.channel}
        assert await listed_matches(second) == [match_id]

    assert "written from the template" in first_logs
    assert not ERROR_LINE.findall(first_logs), first_logs
    stored = json.loads((tmp_path / ".debrief" / "sandbox" / WORLD_FILE).read_text())
    assert stored == {
        "guild": before.guild,
        "channel": before.channel,
        "player": before.player,
        "teammate": before.teammate,
    }


async def test_a_damaged_world_file_stops_the_sandbox_with_what_to_do(tmp_path: Path) -> None:
    settings = load_settings(debrief_env="sandbox", debrief_data_dir=tmp_path)
    (tmp_path / "sandbox").mkdir()
    (tmp_path / "sandbox" / WORLD_FILE).write_text('{"guild": "not a snowflake"}')

    with pytest.raises(SandboxError, match="is not a sandbox world file; move it away"):
        async with open_sandbox(settings, sandbox_options()):
            pass


# Just over discord.py's 10 s threshold for "Can't keep up": a raced ACK would be logged.
FAST_HEARTBEAT_MS = 10_200
HEARTBEATS = 3


async def test_the_bot_keeps_up_with_the_emulated_gateway(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Discord's 41.25 s heartbeats, four times as often: a few minutes of a session."""
    settings = load_settings(debrief_env="sandbox", debrief_data_dir=tmp_path)
    options = SandboxOptions(
        api_port=free_port(), gemini_writes=False, heartbeat_interval_ms=FAST_HEARTBEAT_MS
    )

    async with open_sandbox(settings, options) as stack:
        # One heartbeat at HELLO, then one per interval from discord.py's keep-alive thread.
        while stack.emulator.gateway.heartbeats < HEARTBEATS + 1:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        latency_ms = await ping_latency_ms(stack)

    logs = capfd.readouterr().err
    assert "Can't keep up" not in logs, logs
    assert latency_ms < 1000


async def ping_latency_ms(stack: Sandbox) -> int:
    handle = stack.emulator.driver.invoke_command(
        "ping", member=stack.world.player, channel_id=stack.world.channel.id
    )
    reply = await handle.wait_for_original(lambda message: bool(message.embeds))
    fields = {f["name"]: f["value"] for f in only_embed(stack, reply)["fields"]}
    return int(fields["Gateway latency"].removesuffix(" ms"))
