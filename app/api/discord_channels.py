"""Which server a channel belongs to, asked of Discord's REST API with the bot's token.

The API has no gateway connection, so it cannot use the bot's cache: it asks Discord each
time an admin names a channel, which is rare (a settings change).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from pydantic import BaseModel, ValidationError

from app.api.bot_http import bot_http_client
from app.core.errors import ChannelsUnverifiable
from app.core.handlers.guilds import InvalidConfig
from app.core.i18n import N_, _
from app.core.ports import ChannelDirectory
from app.shared.settings import Settings

logger = logging.getLogger(__name__)

# Server text, announcement and thread channels: where a digest can be posted.
_POSTABLE_TYPES = frozenset({0, 5, 10, 11, 12})
# Discord answers these for a channel that does not exist or that the bot cannot see.
_NOT_VISIBLE = frozenset({403, 404})
CHANNELS_UNCHECKABLE = N_(
    "This server's API cannot check Discord channels (no bot token is configured); "
    "choose the digest channel with /config digest in Discord."
)


class _ChannelPayload(BaseModel):
    type: int
    guild_id: int | None = None


class RestChannelDirectory(ChannelDirectory):
    def __init__(self, http: httpx2.AsyncClient | None) -> None:
        # None: no bot token, so no channel can be checked (and none accepted).
        self._http = http

    async def guild_of(self, channel_id: int) -> int | None:
        if self._http is None:
            raise InvalidConfig(_(CHANNELS_UNCHECKABLE))
        try:
            response = await self._http.get(f"channels/{channel_id}")
        except httpx2.HTTPError as error:
            logger.warning("Discord did not answer a channel lookup: %s", type(error).__name__)
            raise ChannelsUnverifiable from None
        if response.status_code in _NOT_VISIBLE:
            return None
        if response.status_code != 200:
            logger.warning("Discord answered a channel lookup with %s", response.status_code)
            raise ChannelsUnverifiable
        return _guild_of_payload(response.content)


def _guild_of_payload(body: bytes) -> int | None:
    try:
        channel = _ChannelPayload.model_validate_json(body)
    except ValidationError:
        logger.warning("Discord answered a channel lookup with an unexpected body")
        raise ChannelsUnverifiable from None
    return channel.guild_id if channel.type in _POSTABLE_TYPES else None


@asynccontextmanager
async def open_channel_directory(settings: Settings) -> AsyncIterator[RestChannelDirectory]:
    async with bot_http_client(settings) as http:
        yield RestChannelDirectory(http)
