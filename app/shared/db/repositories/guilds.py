"""Per-server settings in MongoDB."""

from __future__ import annotations

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from app.core.guilds import GuildConfig
from app.core.ports import GuildConfigRepository
from app.shared.db.documents import GUILD_DIGEST_INDEX, GuildConfigDocument
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import raw_to_domain, to_domain

_SAVE_ATTEMPTS = 3


class BeanieGuildConfigRepository(GuildConfigRepository):
    async def get(self, guild_id: int) -> GuildConfig:
        document = await GuildConfigDocument.find_one(
            {"guild_id": guild_id}, **index_hint("guild_unique")
        )
        return to_domain(document, GuildConfig) if document else GuildConfig(guild_id=guild_id)

    async def save(self, config: GuildConfig) -> GuildConfig:
        # A server's first save can race another upsert of its document (the bot storing
        # Discord's language for it, in the background): the losing upsert fails on the
        # unique index, or SecantusDB answers it with no document. The document exists by
        # then, so saving again replaces it.
        for _ in range(_SAVE_ATTEMPTS - 1):
            try:
                return await self._replace(config)
            except (DuplicateKeyError, LookupError):
                continue
        return await self._replace(config)

    async def _replace(self, config: GuildConfig) -> GuildConfig:
        raw = await GuildConfigDocument.get_pymongo_collection().find_one_and_replace(
            {"guild_id": config.guild_id},
            config.model_dump(mode="python"),
            upsert=True,
            return_document=ReturnDocument.AFTER,
            **index_hint("guild_unique"),
        )
        return raw_to_domain(raw, GuildConfig)

    async def with_digest_at(self, weekday: int, hour_utc: int) -> list[GuildConfig]:
        documents = await GuildConfigDocument.find(
            {
                "digest_weekday": weekday,
                "digest_hour_utc": hour_utc,
                "digest_channel_id": {"$ne": None},
            },
            **index_hint(GUILD_DIGEST_INDEX),
        ).to_list()
        return [to_domain(d, GuildConfig) for d in documents]

    async def remember_discord_locale(self, guild_id: int, locale: str) -> None:
        await GuildConfigDocument.get_pymongo_collection().update_one(
            {"guild_id": guild_id},
            {"$set": {"discord_locale": locale}},
            upsert=True,
            **index_hint("guild_unique"),
        )
