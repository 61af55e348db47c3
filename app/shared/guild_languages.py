"""A server's language from its stored settings, for any process (the API has no gateway)."""

from __future__ import annotations

from app.core.i18n import Language
from app.core.ports import GuildConfigRepository, GuildLanguages


class StoredGuildLanguages(GuildLanguages):
    """The setting, else Discord's language for the server as the bot last stored it."""

    def __init__(self, guild_configs: GuildConfigRepository) -> None:
        self._guild_configs = guild_configs

    async def of_guild(self, guild_id: int) -> Language:
        config = await self._guild_configs.get(guild_id)
        return config.spoken_language()
