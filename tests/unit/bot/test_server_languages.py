"""Which language a server gets: its setting, else Discord's language for it, else English;
and when its settings can't be read, Discord's choice rather than no reply at all."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import cast

import discord
import pytest
from pymongo.errors import ServerSelectionTimeoutError

from app.bot.interaction_settings import ReadOncePerInteraction
from app.bot.language import ServerLanguages
from app.core.guilds import GuildConfig
from app.core.i18n import Language
from tests.unit.fakes import FakeGuildConfigs

GUILD = 7


class Unreachable(FakeGuildConfigs):
    async def get(self, guild_id: int) -> GuildConfig:
        raise ServerSelectionTimeoutError("no server")


def languages(configs: FakeGuildConfigs, preferred: str | None) -> ServerLanguages:
    guild = SimpleNamespace(preferred_locale=discord.Locale(preferred)) if preferred else None
    client = cast(discord.Client, SimpleNamespace(get_guild=lambda _id: guild))
    wrapped = ReadOncePerInteraction(configs)
    return ServerLanguages(client, lambda: wrapped)


@pytest.mark.parametrize(
    ("setting", "preferred", "expected"),
    [
        (Language.SPANISH, "en-US", Language.SPANISH),  # the setting wins
        (Language.ENGLISH, "es-ES", Language.ENGLISH),
        (None, "es-419", Language.SPANISH),  # no setting: Discord's language for the server
        (None, "fr", Language.ENGLISH),  # one Debrief does not speak: English
        (None, None, Language.ENGLISH),  # a server this shard does not know
    ],
)
async def test_the_setting_then_discords_language_then_english(
    setting: Language | None, preferred: str | None, expected: Language
) -> None:
    configs = FakeGuildConfigs()
    await configs.save(GuildConfig(guild_id=GUILD, language=setting))

    assert await languages(configs, preferred).of_guild(GUILD) is expected


async def test_unreadable_settings_fall_back_to_discords_language() -> None:
    assert await languages(Unreachable(), "es-ES").of_guild(GUILD) is Language.SPANISH


class CountingLocaleWrites(FakeGuildConfigs):
    def __init__(self) -> None:
        super().__init__()
        self.locale_writes = 0

    async def remember_discord_locale(self, guild_id: int, locale: str) -> None:
        self.locale_writes += 1
        await super().remember_discord_locale(guild_id, locale)


async def _settled() -> None:
    # The write runs in the background: let it finish.
    for _ in range(5):
        await asyncio.sleep(0)


async def test_discords_language_is_stored_once_when_a_read_finds_it_missing() -> None:
    configs = CountingLocaleWrites()
    await configs.save(GuildConfig(guild_id=GUILD))
    server = languages(configs, "es-ES")

    assert await server.of_guild(GUILD) is Language.SPANISH
    await _settled()
    assert (await configs.get(GUILD)).discord_locale == "es-ES"

    # Another process (or this one, once its kept setting is stale) reads the settings again.
    await languages(configs, "es-ES").of_guild(GUILD)
    await _settled()
    assert configs.locale_writes == 1  # stored as Discord has it: nothing to write


async def test_a_locale_the_settings_already_hold_is_not_written_again() -> None:
    configs = CountingLocaleWrites()
    await configs.save(GuildConfig(guild_id=GUILD, discord_locale="en-US"))

    await languages(configs, "en-US").of_guild(GUILD)
    await _settled()

    assert configs.locale_writes == 0
