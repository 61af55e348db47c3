"""The outbox in MongoDB: at-least-once delivery with leases instead of locks."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from app.core.outbox import OutboxFields, OutboxMessage, OutboxStatus
from app.core.ports import OutboxRepository
from app.shared.db.documents import OutboxDocument, OutboxIndex
from app.shared.db.repositories._base import ID_INDEX, object_id, raw_to_domain, to_domain


class BeanieOutboxRepository(OutboxRepository):
    async def enqueue(self, message: OutboxFields) -> OutboxMessage:
        document = OutboxDocument.model_validate(message.model_dump())
        try:
            await document.insert()
        except DuplicateKeyError:
            existing = await OutboxDocument.find_one(
                {"dedupe_key": message.dedupe_key}, hint=OutboxIndex.DEDUPE
            )
            if existing is None:  # deleted between the two calls: nothing left to dedupe against
                raise
            return to_domain(existing, OutboxMessage)
        return to_domain(document, OutboxMessage)

    async def get(self, message_id: str) -> OutboxMessage | None:
        oid = object_id(message_id)
        document = await OutboxDocument.get(oid) if oid else None
        return to_domain(document, OutboxMessage) if document else None

    async def claim_due(
        self, now: datetime, lease: timedelta, kinds: Collection[str]
    ) -> OutboxMessage | None:
        raw = await OutboxDocument.get_pymongo_collection().find_one_and_update(
            {
                "status": OutboxStatus.PENDING.value,
                "kind": {"$in": list(kinds)},
                "available_at": {"$lte": now},
            },
            {"$set": {"available_at": now + lease}, "$inc": {"attempts": 1}},
            sort=[("available_at", 1)],
            return_document=ReturnDocument.AFTER,
            hint=OutboxIndex.DUE,
        )
        return raw_to_domain(raw, OutboxMessage) if raw else None

    async def mark_delivered(self, message_id: str, now: datetime) -> None:
        await OutboxDocument.get_pymongo_collection().update_one(
            {"_id": object_id(message_id)},
            {"$set": {"status": OutboxStatus.DELIVERED.value, "delivered_at": now}},
            hint=ID_INDEX,
        )

    async def retry_later(self, message_id: str, retry_at: datetime, error: str) -> None:
        await OutboxDocument.get_pymongo_collection().update_one(
            {"_id": object_id(message_id), "status": OutboxStatus.PENDING.value},
            {"$set": {"available_at": retry_at, "last_error": error[:200]}},
            hint=ID_INDEX,
        )

    async def expire_overdue(self, now: datetime) -> int:
        result = await OutboxDocument.get_pymongo_collection().update_many(
            {"status": OutboxStatus.PENDING.value, "expires_at": {"$lte": now}},
            {"$set": {"status": OutboxStatus.EXPIRED.value}},
            hint=OutboxIndex.DEADLINE,
        )
        return result.modified_count
