"""The API's HTTP client for Discord's REST API, speaking as the bot (its token)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2

from app.api.auth.discord import HTTP_TIMEOUT_S, DiscordEndpoints
from app.shared.settings import Settings


@asynccontextmanager
async def bot_http_client(settings: Settings) -> AsyncIterator[httpx2.AsyncClient | None]:
    """A client for Discord's REST API with the bot's token; None when no token is set."""
    token = settings.discord_bot_token
    if token is None:
        yield None
        return
    async with httpx2.AsyncClient(
        base_url=DiscordEndpoints.derive(settings.discord_api_base_url).api_base_url,
        headers={"Authorization": f"Bot {token.get_secret_value()}"},
        timeout=HTTP_TIMEOUT_S,
    ) as http:
        yield http
