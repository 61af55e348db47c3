"""The outbox in MongoDB: at-least-once delivery with leases instead of locks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.change_stream import AsyncCollectionChangeStream
from pymongo.errors import DuplicateKeyError, OperationFailure

from app.core.outbox import (
    OutboxFields,
    OutboxInsert,
    OutboxMessage,
    OutboxStatus,
    StreamPosition,
    StreamPositionLost,
    StreamUnsupported,
)
from app.core.ports import OutboxRepository
from app.shared.db.documents import (
    OUTBOX_CONSUMER_INDEX,
    OutboxConsumerDocument,
    OutboxDocument,
    OutboxIndex,
)
from app.shared.db.hints import current_backend, index_hint
from app.shared.db.repositories._base import ID_INDEX, object_id, raw_to_domain, to_domain

# Change streams need a replica set: a standalone mongod answers 40573; servers too old to
# know the stage at all answer 40324 (unrecognised stage) or 115 (not supported).
_STREAM_UNSUPPORTED = frozenset({40573, 40324, 115})
# A resume token that is malformed (9, 260), from a stream that can no longer be resumed
# (280), or older than the oplog still holds (286).
_POSITION_LOST = frozenset({9, 260, 280, 286})


class BeanieOutboxRepository(OutboxRepository):
    async def enqueue(self, message: OutboxFields) -> OutboxMessage:
        # Inserted as dumped, without building a Beanie document: a burst of /debrief puts
        # one reply on record per interaction on the event loop that acknowledges the others.
        stored = message.model_dump(mode="python")
        try:
            result = await OutboxDocument.get_pymongo_collection().insert_one(stored)
        except DuplicateKeyError:
            existing = await OutboxDocument.find_one(
                {"dedupe_key": message.dedupe_key}, **index_hint(OutboxIndex.DEDUPE)
            )
            if existing is None:  # deleted between the two calls: nothing left to dedupe against
                raise
            return to_domain(existing, OutboxMessage)
        return OutboxMessage(id=str(result.inserted_id), **message.model_dump())

    async def get(self, message_id: str) -> OutboxMessage | None:
        oid = object_id(message_id)
        document = await OutboxDocument.get(oid) if oid else None
        return to_domain(document, OutboxMessage) if document else None

    async def find(self, dedupe_key: str) -> OutboxMessage | None:
        document = await OutboxDocument.find_one(
            {"dedupe_key": dedupe_key}, **index_hint(OutboxIndex.DEDUPE)
        )
        return to_domain(document, OutboxMessage) if document else None

    async def claim_due(
        self,
        now: datetime,
        lease: timedelta,
        kinds: Collection[str],
        *,
        guild_ids: Collection[int] | None = None,
    ) -> OutboxMessage | None:
        # Where the planner cannot bound an `$in` of kinds beside the due-time range, one
        # kind at a time (each an equality prefix plus that range); the caller claims until
        # nothing is due, so every kind is drained in the same round either way.
        groups = (
            [list(kinds)]
            if current_backend().bounds_several_ranges
            else [[k] for k in sorted(kinds)]
        )
        for group in groups:
            claimed = await _claim_due(now, lease, group, guild_ids)
            if claimed is not None:
                return claimed
        return None

    async def mark_delivered(self, message_id: str, now: datetime) -> None:
        await OutboxDocument.get_pymongo_collection().update_one(
            {"_id": object_id(message_id)},
            {"$set": {"status": OutboxStatus.DELIVERED.value, "delivered_at": now}},
            **index_hint(ID_INDEX),
        )

    async def retry_later(self, message_id: str, retry_at: datetime, error: str) -> None:
        await OutboxDocument.get_pymongo_collection().update_one(
            {"_id": object_id(message_id), "status": OutboxStatus.PENDING.value},
            {"$set": {"available_at": retry_at, "last_error": error[:200]}},
            **index_hint(ID_INDEX),
        )

    async def extend_lease(self, message_id: str, until: datetime) -> None:
        await OutboxDocument.get_pymongo_collection().update_one(
            {"_id": object_id(message_id), "status": OutboxStatus.PENDING.value},
            {"$set": {"available_at": until}},
            **index_hint(ID_INDEX),
        )

    async def mark_failed(self, message_id: str, error: str) -> None:
        await OutboxDocument.get_pymongo_collection().update_one(
            {"_id": object_id(message_id), "status": OutboxStatus.PENDING.value},
            {"$set": {"status": OutboxStatus.FAILED.value, "last_error": error[:200]}},
            **index_hint(ID_INDEX),
        )

    async def expire_overdue(self, now: datetime) -> int:
        result = await OutboxDocument.get_pymongo_collection().update_many(
            {"status": OutboxStatus.PENDING.value, "expires_at": {"$lte": now}},
            {"$set": {"status": OutboxStatus.EXPIRED.value}},
            **index_hint(OutboxIndex.DEADLINE),
        )
        return result.modified_count

    @asynccontextmanager
    async def watch_inserts(
        self, kinds: Collection[str], *, after: StreamPosition | None
    ) -> AsyncIterator[AsyncIterator[OutboxInsert]]:
        pipeline: list[dict[str, Any]] = [
            {"$match": {"operationType": "insert", "fullDocument.kind": {"$in": list(kinds)}}},
            # The event's own _id (its resume token) is kept; the document is not needed.
            {"$project": {"documentKey": 1}},
        ]
        with _stream_errors(resuming=after is not None):
            stream = await OutboxDocument.get_pymongo_collection().watch(
                pipeline, resume_after=after
            )
        async with stream:
            yield _inserts(stream)

    async def stream_position(self, consumer: str) -> StreamPosition | None:
        found = await OutboxConsumerDocument.find_one(
            {"name": consumer}, **index_hint(OUTBOX_CONSUMER_INDEX)
        )
        return found.resume_token if found else None

    async def save_stream_position(
        self, consumer: str, position: StreamPosition, now: datetime
    ) -> None:
        collection = OutboxConsumerDocument.get_pymongo_collection()
        change = {"$set": {"resume_token": position, "updated_at": now}}
        try:
            await collection.update_one(
                {"name": consumer}, change, upsert=True, **index_hint(OUTBOX_CONSUMER_INDEX)
            )
        except DuplicateKeyError:
            # Two processes saved their first position at once and the other one inserted
            # the document: it exists now, so a plain update lands.
            await collection.update_one(
                {"name": consumer}, change, **index_hint(OUTBOX_CONSUMER_INDEX)
            )


async def _claim_due(
    now: datetime, lease: timedelta, kinds: list[str], guild_ids: Collection[int] | None
) -> OutboxMessage | None:
    kind: Any = kinds[0] if len(kinds) == 1 else {"$in": kinds}
    query: dict[str, Any] = {"status": OutboxStatus.PENDING.value, "kind": kind}
    if guild_ids is not None:
        query["payload.guild_id"] = {"$in": list(guild_ids)}
    query["available_at"] = {"$lte": now}
    raw = await OutboxDocument.get_pymongo_collection().find_one_and_update(
        query,
        {"$set": {"available_at": now + lease}, "$inc": {"attempts": 1}},
        sort=[("available_at", 1)],
        return_document=ReturnDocument.AFTER,
        **index_hint(OutboxIndex.DUE if guild_ids is None else OutboxIndex.DUE_FOR_GUILDS),
    )
    return raw_to_domain(raw, OutboxMessage) if raw else None


async def _inserts(
    stream: AsyncCollectionChangeStream[dict[str, Any]],
) -> AsyncIterator[OutboxInsert]:
    # PyMongo resumes by itself after a network error, from the last event it returned.
    with _stream_errors(resuming=True):
        async for change in stream:
            yield OutboxInsert(message_id=str(change["documentKey"]["_id"]), position=change["_id"])


@contextmanager
def _stream_errors(*, resuming: bool) -> Iterator[None]:
    """The server's refusals to stream, as the core's exceptions; anything else as is."""
    try:
        yield
    except OperationFailure as error:
        if error.code in _STREAM_UNSUPPORTED:
            raise StreamUnsupported(
                f"change streams are not available (code {error.code})"
            ) from error
        if resuming and error.code in _POSITION_LOST:
            raise StreamPositionLost(
                f"cannot resume the change stream (code {error.code})"
            ) from error
        raise
