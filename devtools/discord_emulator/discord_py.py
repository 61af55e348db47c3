"""Point the real discord.py client at an emulator, and put it back afterwards.

discord.py has no base-URL option: its REST base (`Route.BASE`, also used by the interaction
webhook adapter) and its gateway (`DiscordWebSocket.DEFAULT_GATEWAY`) are class attributes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


@contextmanager
def discord_py_pointed_at(api_base_url: str, gateway_url: str) -> Iterator[None]:
    """Within the block, every discord.py client talks to the given emulator URLs."""
    saved_base, saved_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE = saved_base
        DiscordWebSocket.DEFAULT_GATEWAY = saved_gateway
