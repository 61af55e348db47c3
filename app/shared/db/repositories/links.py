"""Members' linked gamertags: one document per (server, normalised name)."""

from __future__ import annotations

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from app.core.links import GamertagLink, GamertagTaken
from app.core.ports import GamertagLinkRepository
from app.shared.db.documents import GamertagLinkDocument, GamertagLinkIndex
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import ID_INDEX, raw_to_domain

_NO_ID = {"_id": 0}


class BeanieGamertagLinkRepository(GamertagLinkRepository):
    async def add(self, link: GamertagLink) -> GamertagLink:
        # The unique (server, name) index is the lock: of two members racing, one insert fails.
        try:
            await GamertagLinkDocument.get_pymongo_collection().insert_one(
                link.model_dump(mode="python")
            )
        except DuplicateKeyError:
            owner = await self.owner_of(link.guild_id, link.key)
            if owner is None:  # unlinked in between: the name is free again
                return await self.add(link)
            if owner.user_id != link.user_id:
                raise GamertagTaken(owner.user_id, link.gamertag) from None
            return owner
        return link

    async def move(self, link: GamertagLink) -> GamertagLink:
        raw = await GamertagLinkDocument.get_pymongo_collection().find_one_and_replace(
            {"guild_id": link.guild_id, "key": link.key},
            link.model_dump(mode="python"),
            projection=_NO_ID,
            upsert=True,
            return_document=ReturnDocument.AFTER,
            **index_hint(GamertagLinkIndex.NAME),
        )
        return raw_to_domain(raw, GamertagLink)

    async def owner_of(self, guild_id: int, key: str) -> GamertagLink | None:
        raw = await GamertagLinkDocument.get_pymongo_collection().find_one(
            {"guild_id": guild_id, "key": key}, _NO_ID, **index_hint(GamertagLinkIndex.NAME)
        )
        return None if raw is None else raw_to_domain(raw, GamertagLink)

    async def of_member(self, guild_id: int, user_id: int) -> list[GamertagLink]:
        cursor = GamertagLinkDocument.get_pymongo_collection().find(
            {"guild_id": guild_id, "user_id": user_id},
            _NO_ID,
            sort=[("linked_at", 1)],
            **index_hint(GamertagLinkIndex.MEMBER),
        )
        return [raw_to_domain(raw, GamertagLink) async for raw in cursor]

    async def remove(self, guild_id: int, key: str, user_id: int | None) -> bool:
        collection = GamertagLinkDocument.get_pymongo_collection()
        # Found by the exact unique key, then deleted by id: a filter with the owner beside the
        # key is bounded by the server alone on SecantusDB. The owner stays in the delete's
        # filter, so a name moved to someone else in between is left alone.
        found = await collection.find_one(
            {"guild_id": guild_id, "key": key},
            {"_id": 1, "user_id": 1},
            **index_hint(GamertagLinkIndex.NAME),
        )
        if found is None or (user_id is not None and found["user_id"] != user_id):
            return False
        result = await collection.delete_one(
            {"_id": found["_id"], "user_id": found["user_id"]}, **index_hint(ID_INDEX)
        )
        return result.deleted_count == 1
