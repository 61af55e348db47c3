"""Members' linked gamertags: one document per (server, normalised name).

Two unique indexes decide every race in one insert: one owner per name (`NAME`), and at most
MAX_LINKS_PER_MEMBER names per member, each holding one of that many slots (`SLOT`). A link
takes the lowest free slot; a racer that took it first makes the insert fail, and the link
looks again, so racing /link calls can never hold more than the cap between them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from app.core.links import (
    MAX_LINKS_PER_MEMBER,
    GamertagLink,
    GamertagTaken,
    LinksChanging,
    TooManyLinks,
)
from app.core.ports import GamertagLinkRepository
from app.shared.db.documents import GamertagLinkDocument, GamertagLinkIndex
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import ID_INDEX, raw_to_domain

_NO_ID = {"_id": 0}
# Each failed try means a racer linked a name of that member (or unlinked one): by then the
# member's slots are full, unless names keep being unlinked and linked under our feet.
_TRIES = MAX_LINKS_PER_MEMBER + 1

Raw = Mapping[str, Any]


class BeanieGamertagLinkRepository(GamertagLinkRepository):
    async def add(self, link: GamertagLink) -> GamertagLink:
        for _ in range(_TRIES):
            held = await self._held(link.guild_id, link.user_id)
            own = _find(held, link.key)
            if own is not None:
                return raw_to_domain(own, GamertagLink)
            try:
                await GamertagLinkDocument.get_pymongo_collection().insert_one(
                    _stored(link, _free_slot(held))
                )
            except DuplicateKeyError:
                owner = await self.owner_of(link.guild_id, link.key)
                if owner is None:
                    continue  # a racer took the slot, or the name was unlinked: look again
                if owner.user_id != link.user_id:
                    raise GamertagTaken(owner.user_id, link.gamertag) from None
                return owner
            return link
        raise LinksChanging

    async def move(self, link: GamertagLink) -> GamertagLink:
        for _ in range(_TRIES):
            held = await self._held(link.guild_id, link.user_id)
            own = _find(held, link.key)
            # Already the member's: it keeps its slot (none, for a name linked before slots).
            slot = _free_slot(held) if own is None else own.get("slot")
            try:
                raw = await GamertagLinkDocument.get_pymongo_collection().find_one_and_replace(
                    {"guild_id": link.guild_id, "key": link.key},
                    _stored(link, slot),
                    projection=_NO_ID,
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                    **index_hint(GamertagLinkIndex.NAME),
                )
            except DuplicateKeyError:
                continue  # a racer took the slot, or upserted the same name first: look again
            return raw_to_domain(raw, GamertagLink)
        raise LinksChanging

    async def owner_of(self, guild_id: int, key: str) -> GamertagLink | None:
        raw = await GamertagLinkDocument.get_pymongo_collection().find_one(
            {"guild_id": guild_id, "key": key}, _NO_ID, **index_hint(GamertagLinkIndex.NAME)
        )
        return None if raw is None else raw_to_domain(raw, GamertagLink)

    async def owners_of(self, guild_id: int, keys: Collection[str]) -> list[GamertagLink]:
        if not keys:
            return []
        cursor = GamertagLinkDocument.get_pymongo_collection().find(
            {"guild_id": guild_id, "key": {"$in": sorted(set(keys))}},
            _NO_ID,
            **index_hint(GamertagLinkIndex.NAME),
        )
        return [raw_to_domain(raw, GamertagLink) async for raw in cursor]

    async def has_auto_record_besides(self, guild_id: int, user_id: int) -> bool:
        # The server's opted-in names, their owners only: one more than a member can hold, so
        # that if another member opted in, one of these is theirs.
        cursor = GamertagLinkDocument.get_pymongo_collection().find(
            {"guild_id": guild_id, "auto_record": True},
            {"_id": 0, "user_id": 1},
            limit=MAX_LINKS_PER_MEMBER + 1,
            **index_hint(GamertagLinkIndex.AUTO_RECORD),
        )
        return any([raw["user_id"] != user_id async for raw in cursor])

    async def of_member(self, guild_id: int, user_id: int) -> list[GamertagLink]:
        return [raw_to_domain(raw, GamertagLink) for raw in await self._held(guild_id, user_id)]

    async def _held(self, guild_id: int, user_id: int) -> list[Raw]:
        cursor = GamertagLinkDocument.get_pymongo_collection().find(
            {"guild_id": guild_id, "user_id": user_id},
            _NO_ID,
            sort=[("linked_at", 1)],
            **index_hint(GamertagLinkIndex.MEMBER),
        )
        return [raw async for raw in cursor]

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


def _find(held: Sequence[Raw], key: str) -> Raw | None:
    return next((raw for raw in held if raw["key"] == key), None)


def _free_slot(held: Sequence[Raw]) -> int:
    """The lowest slot none of the member's names holds; TooManyLinks when there is none.
    A name linked before slots holds none but counts all the same: it shortens the range."""
    unslotted = sum(1 for raw in held if raw.get("slot") is None)
    taken = {raw["slot"] for raw in held if raw.get("slot") is not None}
    free = (slot for slot in range(MAX_LINKS_PER_MEMBER - unslotted) if slot not in taken)
    slot = next(free, None)
    if slot is None:
        raise TooManyLinks
    return slot


def _stored(link: GamertagLink, slot: int | None) -> dict[str, Any]:
    stored = link.model_dump(mode="python")
    return stored if slot is None else {**stored, "slot": slot}
