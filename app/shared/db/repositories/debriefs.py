"""Debriefs in MongoDB, one per match."""

from __future__ import annotations

from pymongo import ReturnDocument

from app.core.debriefs import Debrief, DebriefFields
from app.core.ports import DebriefRepository
from app.shared.db.documents import DebriefDocument
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import raw_to_domain, to_domain


class BeanieDebriefRepository(DebriefRepository):
    async def save(self, debrief: DebriefFields) -> Debrief:
        raw = await DebriefDocument.get_pymongo_collection().find_one_and_replace(
            {"match_id": debrief.match_id},
            debrief.model_dump(mode="python"),
            upsert=True,
            return_document=ReturnDocument.AFTER,
            **index_hint("match_unique"),
        )
        return raw_to_domain(raw, Debrief)

    async def get_for_match(self, match_id: str) -> Debrief | None:
        document = await DebriefDocument.find_one(
            {"match_id": match_id}, **index_hint("match_unique")
        )
        return to_domain(document, Debrief) if document else None

    async def delete_for_match(self, match_id: str) -> None:
        await DebriefDocument.get_pymongo_collection().delete_one(
            {"match_id": match_id}, **index_hint("match_unique")
        )
