"""Each server's language setting, kept by the bot so that no interaction waits for the
database before its acknowledgement.

A slash command's language is chosen in the command tree's check, which runs before the
command's own first statement (its acknowledgement). Reading the server's settings there put
a database round trip in front of every acknowledgement: in a burst of a thousand /debrief,
a thousand reads queued ahead of the acks. The setting is kept here instead, refreshed by
every settings read or save this process makes, and re-read when older than `FRESH_FOR_S`
(a change made from the API or the dashboard, in another process, shows within that time).
Concurrent lookups of one server share one read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from app.core.guilds import GuildConfig
from app.core.i18n import Language

FRESH_FOR_S = 30.0


@dataclass(frozen=True, slots=True)
class _Known:
    setting: Language | None
    # The setting, else Discord's language for the server as stored (`GuildConfig`).
    spoken: Language
    read_at: float


class LanguageSettings:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._known: dict[int, _Known] = {}
        self._reading: dict[int, asyncio.Future[GuildConfig]] = {}

    def learn(self, config: GuildConfig) -> None:
        """A settings read or save, whoever made it: the freshest word on the setting."""
        self._known[config.guild_id] = _Known(
            config.language, config.spoken_language(), self._clock()
        )

    def as_stored(self, guild_id: int) -> Language | None:
        """The server's language by its stored settings alone, when they were read: for a
        server the gateway has not told this process of (another shard's)."""
        known = self._known.get(guild_id)
        return known.spoken if known is not None else None

    async def setting(
        self, guild_id: int, read: Callable[[int], Awaitable[GuildConfig]]
    ) -> tuple[Language | None, GuildConfig | None]:
        """The server's language setting (None: follow Discord), and the settings when they
        were read for it (None: known already). Read only when not known or no longer fresh;
        lookups of one server made while it is read share that read."""
        known = self._known.get(guild_id)
        if known is not None and self._clock() - known.read_at < FRESH_FOR_S:
            return known.setting, None
        reading = self._reading.get(guild_id)
        if reading is None:
            reading = asyncio.ensure_future(read(guild_id))
            self._reading[guild_id] = reading
            reading.add_done_callback(lambda _done: self._reading.pop(guild_id, None))
        # Shielded: one caller cancelled (its interaction gone) does not cancel the others' read.
        config = await asyncio.shield(reading)
        self.learn(config)
        return config.language, config
