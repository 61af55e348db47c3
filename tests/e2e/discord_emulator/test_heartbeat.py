"""Heartbeat ACKs come back after a round trip, as over Discord's real network."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp

from devtools.discord_emulator import DiscordEmulator

HEARTBEAT, HEARTBEAT_ACK, HELLO = 1, 11, 10


async def test_a_heartbeat_is_acknowledged_after_the_configured_round_trip(
    emulator: DiscordEmulator,
) -> None:
    round_trip_s = emulator.config.heartbeat_ack_delay_ms / 1000
    async with aiohttp.ClientSession() as http, http.ws_connect(emulator.gateway_url) as ws:
        hello = json.loads((await ws.receive(timeout=5)).data)
        assert hello["op"] == HELLO

        sent = time.perf_counter()
        await ws.send_str(json.dumps({"op": HEARTBEAT, "d": None}))
        ack = json.loads((await ws.receive(timeout=5)).data)
        waited = time.perf_counter() - sent

    assert ack == {"op": HEARTBEAT_ACK}
    # discord.py notes a heartbeat's send time only after sending it, in another thread: an
    # ACK faster than that note reads as "Can't keep up, ... 41.3 s behind".
    assert round_trip_s >= 0.05
    assert round_trip_s <= waited < round_trip_s + 2
    assert emulator.gateway.heartbeats == 1


async def test_a_heartbeat_ack_does_not_hold_up_other_frames(emulator: DiscordEmulator) -> None:
    async with aiohttp.ClientSession() as http, http.ws_connect(emulator.gateway_url) as ws:
        await ws.receive(timeout=5)
        await ws.send_str(json.dumps({"op": HEARTBEAT, "d": None}))
        # An IDENTIFY without a token is refused at once, ahead of the pending ACK.
        await ws.send_str(json.dumps({"op": 2, "d": {"token": "wrong"}}))
        closed = await asyncio.wait_for(ws.receive(), 5)

    assert closed.type is aiohttp.WSMsgType.CLOSE
    assert closed.data == 4004
