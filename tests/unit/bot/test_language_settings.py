"""The bot knows each server's language setting without a database read in front of every
acknowledgement: one read per server while fresh, shared by concurrent lookups."""

from __future__ import annotations

import asyncio

from app.bot.language_settings import FRESH_FOR_S, LanguageSettings
from app.core.guilds import GuildConfig
from app.core.i18n import Language

GUILD = 7


class CountingReads:
    def __init__(self, language: Language | None) -> None:
        self.language = language
        self.reads = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, guild_id: int) -> GuildConfig:
        self.reads += 1
        await self.gate.wait()
        return GuildConfig(guild_id=guild_id, language=self.language)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_thousand_lookups_at_once_make_one_read() -> None:
    settings = LanguageSettings()
    read = CountingReads(Language.SPANISH)
    read.gate.clear()
    lookups = [asyncio.create_task(settings.setting(GUILD, read)) for _ in range(1000)]
    await asyncio.sleep(0)
    read.gate.set()

    answers = await asyncio.gather(*lookups)

    assert read.reads == 1
    assert {language for language, _config in answers} == {Language.SPANISH}


async def test_a_known_setting_is_served_without_a_read_until_it_is_stale() -> None:
    clock = Clock()
    settings = LanguageSettings(clock=clock)
    read = CountingReads(None)
    _, first = await settings.setting(GUILD, read)

    clock.now += FRESH_FOR_S - 1
    language, second = await settings.setting(GUILD, read)
    assert (read.reads, language, second) == (1, None, None)
    assert first == GuildConfig(guild_id=GUILD)

    read.language = Language.SPANISH  # changed from the dashboard, in another process
    clock.now += 2
    assert (await settings.setting(GUILD, read))[0] is Language.SPANISH
    assert read.reads == 2


async def test_a_save_in_this_process_shows_at_once() -> None:
    settings = LanguageSettings()
    read = CountingReads(None)
    await settings.setting(GUILD, read)

    settings.learn(GuildConfig(guild_id=GUILD, language=Language.SPANISH))

    assert (await settings.setting(GUILD, read))[0] is Language.SPANISH
    assert read.reads == 1


async def test_one_lookup_cancelled_does_not_cancel_the_others_read() -> None:
    settings = LanguageSettings()
    read = CountingReads(Language.ENGLISH)
    read.gate.clear()
    gone = asyncio.create_task(settings.setting(GUILD, read))
    waiting = asyncio.create_task(settings.setting(GUILD, read))
    await asyncio.sleep(0)
    gone.cancel()
    read.gate.set()

    assert (await waiting)[0] is Language.ENGLISH
    assert read.reads == 1


async def test_discords_language_as_stored_is_known_for_a_server_of_another_shard() -> None:
    settings = LanguageSettings()
    assert settings.as_stored(GUILD) is None  # never read: the caller falls back

    async def read(guild_id: int) -> GuildConfig:
        return GuildConfig(guild_id=guild_id, discord_locale="es-419")

    language, _config = await settings.setting(GUILD, read)

    assert language is None, "no setting: follows Discord"
    assert settings.as_stored(GUILD) is Language.SPANISH
