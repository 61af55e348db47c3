"""Which language Debrief speaks in a server, set once per interaction (or delivery).

The server's setting (/config language) wins; without one, the language Discord has for the
server (its "preferred locale", set by the server's admins), and English when that is not a
language Debrief speaks. In a DM, a button about a server's match (a capture notice's)
speaks that server's language (`speak_for_server`); anything else there, the user's own client
language. Every reply of an interaction, private errors included, is in the
server's language: a server reads one language, whoever ran the command.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol, cast

import discord
from pymongo.errors import PyMongoError

from app.bot.interaction_settings import ReadOncePerInteraction
from app.bot.language_settings import LanguageSettings
from app.core.i18n import (
    DEFAULT_LANGUAGE,
    Language,
    chosen_language,
    language_of_locale,
    set_language,
)
from app.core.ports import GuildLanguages

logger = logging.getLogger(__name__)


class ServerLanguages:
    def __init__(
        self, client: discord.Client, guild_configs: Callable[[], ReadOncePerInteraction]
    ) -> None:
        self._client = client
        self._guild_configs = guild_configs
        # Known without a read before each acknowledgement; kept fresh by every read and save.
        self.settings = LanguageSettings()
        # Writes of Discord's language for a server, in flight (kept so none is collected).
        self._storing: set[asyncio.Task[None]] = set()

    async def of_guild(
        self, guild_id: int, discord_locale: str | None = None, *, interaction: bool = False
    ) -> Language:
        """The server's language; `discord_locale` is Discord's for it, when at hand. Known
        without a database read most of the time (`LanguageSettings`); when read for an
        interaction, the settings are kept for its handlers (one read per interaction)."""
        if discord_locale is None:
            guild = self._client.get_guild(guild_id)
            discord_locale = guild.preferred_locale.value if guild else None
        fallback = language_of_locale(discord_locale) or DEFAULT_LANGUAGE
        configs = self._guild_configs()
        try:
            setting, read = await self.settings.setting(guild_id, configs.get)
        except PyMongoError:
            # Replies must still go out (/ping reports the outage itself): in Discord's choice.
            logger.warning("guild %s: language setting unreadable, using %s", guild_id, fallback)
            return fallback
        if read is not None and interaction:
            configs.keep(read)  # its handlers need not read the settings again
        if read is not None and discord_locale not in (None, read.discord_locale):
            self._store_discord_locale(guild_id, discord_locale)
        if setting is None and discord_locale is None:
            # Not a server of this shard: Discord's language for it as the bot stored it.
            return self.settings.as_stored(guild_id) or fallback
        return setting or fallback

    def _store_discord_locale(self, guild_id: int, locale: str) -> None:
        """Discord's language for the server, for the API (which has no gateway): stored when
        a read of the settings shows it missing or changed, not for every server at each
        connect (a thousand servers, a thousand writes before any of them is used); in the
        background, so no reply waits for it."""
        task = asyncio.create_task(self._write_discord_locale(guild_id, locale))
        self._storing.add(task)
        task.add_done_callback(self._storing.discard)

    async def _write_discord_locale(self, guild_id: int, locale: str) -> None:
        try:
            await self._guild_configs().remember_discord_locale(guild_id, locale)
        except PyMongoError:
            # The bot itself knows it from the gateway; the API's text waits for the next read.
            logger.warning("guild %s: Discord's language not stored", guild_id, exc_info=True)

    async def of_interaction(self, interaction: discord.Interaction) -> Language:
        if interaction.guild_id is None:
            return language_of_locale(interaction.locale.value) or DEFAULT_LANGUAGE
        guild_locale = interaction.guild_locale.value if interaction.guild_locale else None
        return await self.of_guild(interaction.guild_id, guild_locale, interaction=True)


class GatewayGuildLanguages(GuildLanguages):
    """The core's port, answered from the bot's own knowledge: the gateway's locale for the
    server and its kept setting (whatever language the triggering interaction was in)."""

    def __init__(self, languages: ServerLanguages) -> None:
        self._languages = languages

    async def of_guild(self, guild_id: int) -> Language:
        return await self._languages.of_guild(guild_id)


class _SpeaksLanguages(Protocol):
    languages: ServerLanguages


async def language_of_guild(client: discord.Client, guild_id: int) -> Language:
    """A server's language: the one its interaction chose, when this runs in it (a live
    reply); else looked up (a reply replayed by another process)."""
    chosen = chosen_language()
    if chosen is not None:
        return chosen
    return await cast(_SpeaksLanguages, client).languages.of_guild(guild_id)


async def speak_to(interaction: discord.Interaction) -> Language:
    """Translate into the interaction's language for the rest of its task (each interaction
    has a task of its own, so this never reaches another's)."""
    languages = cast(_SpeaksLanguages, interaction.client).languages
    language = await languages.of_interaction(interaction)
    set_language(language)
    return language


async def speak_for_server(interaction: discord.Interaction, guild_id: int) -> Language:
    """`speak_to`, for a component about a server's match: in a DM (a capture notice's Fix,
    a Not me) that server's language, as the match's channel reads it, not the user's own."""
    if interaction.guild_id is not None:
        return await speak_to(interaction)
    languages = cast(_SpeaksLanguages, interaction.client).languages
    language = await languages.of_guild(guild_id)
    set_language(language)
    return language


class LocalisedTree(discord.app_commands.CommandTree[discord.Client]):
    """Every slash command runs in its interaction's language."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        # Autocomplete offers names as they are stored, with no word of Debrief's own: it
        # needs no language, and a read per keystroke would be a read for nothing.
        if interaction.type is not discord.InteractionType.autocomplete:
            await speak_to(interaction)
        return True
