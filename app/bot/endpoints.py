"""Where discord.py sends REST calls and opens the gateway.

discord.py has no public base-URL option. These two module attributes are its only knobs, so
they are set in exactly one place, from settings: production bots use them for a REST proxy,
tests and the sandbox for the local Discord emulator.
"""

from __future__ import annotations

import discord.gateway
import discord.http
import yarl


def point_discord_at(api_base_url: str | None, gateway_url: str | None) -> None:
    if api_base_url:
        discord.http.Route.BASE = api_base_url.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
