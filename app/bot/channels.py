"""Which server a channel belongs to, asked of Discord itself.

Not the bot's cache: a missed gateway event would leave a deleted channel in it, and these
questions are rare (a settings change, a weekly digest), so the REST round trip is cheap.
"""

from __future__ import annotations

import discord

from app.core.ports import ChannelDirectory

# What a server's settings may name: channels where a digest can be posted as a message.
_POSTABLE = (discord.TextChannel, discord.Thread)


class DiscordChannelDirectory(ChannelDirectory):
    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def guild_of(self, channel_id: int) -> int | None:
        channel = await self.fetch(channel_id)
        return channel.guild.id if channel is not None else None

    async def fetch(self, channel_id: int) -> discord.TextChannel | discord.Thread | None:
        """The channel as the bot sees it now; None when it is gone, out of reach or not a
        server text channel. Other Discord failures propagate, so the caller retries."""
        try:
            channel = await self._client.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden):
            return None
        return channel if isinstance(channel, _POSTABLE) else None
