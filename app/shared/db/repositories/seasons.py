"""Servers' seasons: one document per season, inserted once when it starts."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from app.core.ports import SeasonRepository
from app.core.seasons import Season, SeasonFields, SeasonRace
from app.shared.db.documents import SeasonDocument, SeasonIndex
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import raw_to_domain


class BeanieSeasonRepository(SeasonRepository):
    async def start(self, season: SeasonFields) -> Season:
        collection = SeasonDocument.get_pymongo_collection()
        try:
            result = await collection.insert_one(season.model_dump(mode="python"))
        except DuplicateKeyError:
            # The same key replayed at the same moment made it first; or another admin's
            # start took this number, and this one writes nothing.
            replayed = await self._by_key(season.guild_id, season.idempotency_key)
            if replayed is None:
                raise SeasonRace from None
            return replayed
        return Season(id=str(result.inserted_id), **season.model_dump())

    async def current(self, guild_id: int) -> Season | None:
        raw = await SeasonDocument.get_pymongo_collection().find_one(
            {"guild_id": guild_id}, sort=[("number", -1)], **index_hint(SeasonIndex.NUMBER)
        )
        return None if raw is None else raw_to_domain(raw, Season)

    async def all_of(self, guild_id: int) -> list[Season]:
        cursor = SeasonDocument.get_pymongo_collection().find(
            {"guild_id": guild_id}, sort=[("number", -1)], **index_hint(SeasonIndex.NUMBER)
        )
        return [raw_to_domain(raw, Season) async for raw in cursor]

    async def _by_key(self, guild_id: int, key: str) -> Season | None:
        raw = await SeasonDocument.get_pymongo_collection().find_one(
            {"guild_id": guild_id, "idempotency_key": key},
            **index_hint(SeasonIndex.IDEMPOTENCY),
        )
        return None if raw is None else raw_to_domain(raw, Season)
