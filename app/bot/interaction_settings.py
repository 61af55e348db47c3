"""A server's settings read once per interaction: for its language, then for its handlers.

Every interaction needs its server's settings before its first word (the language), and
many handlers read them again (cooldowns, /config). The read made for the language is kept
for the rest of the interaction's task, so an interaction still reads them once. Nothing is
kept across interactions: each starts with a fresh read, so a change made in another process
(the API, the dashboard) shows at the very next command.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from app.core.guilds import GuildConfig
from app.core.ports import GuildConfigRepository

# Set only in an interaction's own task (`remember`), never in a long-lived one (the outbox
# consumer, the digest schedule), which would otherwise keep serving an old read.
_read: ContextVar[GuildConfig | None] = ContextVar("guild_config_read", default=None)


class ReadOncePerInteraction(GuildConfigRepository):
    def __init__(
        self,
        inner: GuildConfigRepository,
        on_read: Callable[[GuildConfig], None] = lambda _config: None,
    ) -> None:
        self._inner = inner
        # Told of every read and save (the bot's language settings keep up with them).
        self._on_read = on_read

    async def remember(self, guild_id: int) -> GuildConfig:
        """The server's settings, read once and kept for the rest of this interaction."""
        kept = _read.get()
        if kept is not None and kept.guild_id == guild_id:
            return kept  # read already, or saved, by this interaction
        config = await self._inner.get(guild_id)
        self._on_read(config)
        _read.set(config)
        return config

    def keep(self, config: GuildConfig) -> None:
        """Keep settings read on this interaction's behalf for the rest of its task."""
        _read.set(config)

    async def get(self, guild_id: int) -> GuildConfig:
        kept = _read.get()
        if kept is not None and kept.guild_id == guild_id:
            return kept
        config = await self._inner.get(guild_id)
        self._on_read(config)
        return config

    async def save(self, config: GuildConfig) -> GuildConfig:
        saved = await self._inner.save(config)
        self._on_read(saved)
        kept = _read.get()
        if kept is not None and kept.guild_id == saved.guild_id:
            _read.set(saved)  # what this interaction reads next is what it just saved
        return saved

    async def with_digest_at(self, weekday: int, hour_utc: int) -> list[GuildConfig]:
        return await self._inner.with_digest_at(weekday, hour_utc)

    async def remember_discord_locale(self, guild_id: int, locale: str) -> None:
        await self._inner.remember_discord_locale(guild_id, locale)
