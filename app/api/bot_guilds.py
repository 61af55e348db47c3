"""Which servers the bot is in, asked of Discord with the bot's token and kept a few minutes.

The dashboard lists "my servers" as the visitor's servers (their login snapshot) that the bot
shares. The API has no gateway connection, so it asks Discord's REST API, a page of 200 at a
time, at most once per `CACHE_TTL` for every visitor of this process. Without a bot token, or
while Discord does not answer, it does not know (None), and the dashboard lists the visitor's
servers as they are: every server page checks membership itself, so nothing more is shown.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.api.bot_http import bot_http_client
from app.shared.settings import Settings

logger = logging.getLogger(__name__)

PAGE_SIZE = 200
# A bot in more servers than this is listed in part; a visitor's own servers still show.
MAX_PAGES = 25
CACHE_TTL_S = 300.0
# After a failure, ask again only this much later: a Discord outage must not slow every page.
RETRY_AFTER_FAILURE_S = 30.0


class _PartialGuild(BaseModel):
    id: int


_GUILDS = TypeAdapter(list[_PartialGuild])


class BotGuilds:
    def __init__(self, http: httpx2.AsyncClient | None) -> None:
        self._http = http
        self._known: frozenset[int] | None = None
        self._next_fetch_at = 0.0

    async def ids(self) -> frozenset[int] | None:
        """The bot's servers, at most CACHE_TTL_S old; None when they cannot be known."""
        if self._http is None:
            return None
        if time.monotonic() >= self._next_fetch_at:
            self._known = await self._fetch(self._http)
            wait = CACHE_TTL_S if self._known is not None else RETRY_AFTER_FAILURE_S
            self._next_fetch_at = time.monotonic() + wait
        return self._known

    async def _fetch(self, http: httpx2.AsyncClient) -> frozenset[int] | None:
        found: set[int] = set()
        after = 0
        for _ in range(MAX_PAGES):
            page = await self._page(http, after)
            if page is None:
                return None
            found.update(guild.id for guild in page)
            if len(page) < PAGE_SIZE:
                break
            after = max(guild.id for guild in page)
        return frozenset(found)

    async def _page(self, http: httpx2.AsyncClient, after: int) -> list[_PartialGuild] | None:
        try:
            response = await http.get(
                "users/@me/guilds", params={"limit": PAGE_SIZE, "after": after}
            )
            response.raise_for_status()
            return _GUILDS.validate_json(response.content)
        except (httpx2.HTTPError, ValidationError) as error:
            logger.warning("the bot's servers could not be listed: %s", type(error).__name__)
            return None


@asynccontextmanager
async def open_bot_guilds(settings: Settings) -> AsyncIterator[BotGuilds]:
    async with bot_http_client(settings) as http:
        yield BotGuilds(http)
