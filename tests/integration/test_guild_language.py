"""A server's language is stored with its settings, and settings saved before it existed read
as "follow Discord's language"."""

from __future__ import annotations

import pytest

from app.core.guilds import GuildConfig
from app.core.i18n import Language
from app.shared.db.connection import Database
from app.shared.db.repositories import BeanieGuildConfigRepository

pytestmark = pytest.mark.usefixtures("database")


async def test_the_language_is_saved_and_read_back() -> None:
    configs = BeanieGuildConfigRepository()

    await configs.save(GuildConfig(guild_id=301, language=Language.SPANISH))

    assert (await configs.get(301)).language is Language.SPANISH


async def test_settings_saved_before_languages_follow_discord(database: Database) -> None:
    await database.db["guild_configs"].insert_one({"guild_id": 302, "ask_cooldown_s": 20})

    read = await BeanieGuildConfigRepository().get(302)

    assert read.language is None and read.ask_cooldown_s == 20
