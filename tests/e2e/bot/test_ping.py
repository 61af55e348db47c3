"""/ping through the real bot process."""

from __future__ import annotations

import re

from app import __version__
from devtools.sandbox.orchestrator import Sandbox


async def test_commands_are_synced_to_the_dev_guild(stack: Sandbox) -> None:
    names = {command["name"] for command in stack.emulator.state.commands(stack.world.guild.id)}
    assert "ping" in names


async def test_ping_answers_privately_with_version_and_database_status(stack: Sandbox) -> None:
    handle = stack.emulator.driver.invoke_command(
        "ping", member=stack.world.player, channel_id=stack.world.channel.id
    )

    await handle.wait_for_ack()
    reply = await handle.wait_for_original(lambda m: bool(m.embeds))

    payload = stack.emulator.driver.message_payload(reply)
    assert payload["flags"] & 64, "ephemeral"
    fields = {f["name"]: f["value"] for f in payload["embeds"][0]["fields"]}
    assert fields["Database"] == "ok"
    assert fields["Version"] == __version__
    # Until the first heartbeat is acknowledged there is no figure, and no false "0 ms".
    latency = fields["Gateway latency"]
    assert latency == "not measured yet" or re.fullmatch(r"\d+ ms", latency), latency
