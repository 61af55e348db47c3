"""A server's settings are read once per interaction, and never kept across interactions."""

from __future__ import annotations

import asyncio

from app.bot.interaction_settings import ReadOncePerInteraction
from app.core.guilds import GuildConfig
from app.core.i18n import Language
from tests.unit.fakes import FakeGuildConfigs

GUILD, OTHER = 1, 2


class CountingConfigs(FakeGuildConfigs):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    async def get(self, guild_id: int) -> GuildConfig:
        self.reads += 1
        return await super().get(guild_id)


async def test_an_interaction_reads_its_servers_settings_once() -> None:
    inner = CountingConfigs()
    configs = ReadOncePerInteraction(inner)

    async def interaction() -> None:
        await configs.remember(GUILD)
        await configs.get(GUILD)  # a handler of the same interaction
        await configs.get(GUILD)
        await configs.get(OTHER)  # another server is read, not served from the kept one

    await asyncio.create_task(interaction())
    assert inner.reads == 2

    await asyncio.create_task(interaction())  # the next interaction reads afresh
    assert inner.reads == 4


async def test_what_an_interaction_saves_is_what_it_reads_next() -> None:

    inner = CountingConfigs()
    configs = ReadOncePerInteraction(inner)

    async def interaction() -> tuple[GuildConfig, GuildConfig]:
        kept = await configs.remember(GUILD)
        await configs.save(kept.model_copy(update={"language": Language.SPANISH}))
        return await configs.get(GUILD), await configs.remember(GUILD)

    read, remembered = await asyncio.create_task(interaction())
    assert read.language is remembered.language is Language.SPANISH
    assert inner.reads == 1


async def test_outside_an_interaction_every_read_goes_to_the_database() -> None:
    inner = CountingConfigs()
    configs = ReadOncePerInteraction(inner)

    await configs.get(GUILD)
    await configs.get(GUILD)

    assert inner.reads == 2
