"""Which servers' weekly digests were taken on: one document per server and ISO week."""

from __future__ import annotations

from datetime import datetime

from pymongo.errors import DuplicateKeyError

from app.core.digest_claims import DigestClaim
from app.core.ports import DigestRunRepository
from app.shared.db.documents import DigestRunDocument, DigestRunIndex
from app.shared.db.hints import index_hint


class BeanieDigestRunRepository(DigestRunRepository):
    async def claim(
        self, guild_id: int, week: str, now: datetime, *, request_key: str | None = None
    ) -> bool:
        # The unique (guild, week) index makes the insert the lock: exactly one caller wins,
        # whichever shard or restart it comes from.
        try:
            await DigestRunDocument.get_pymongo_collection().insert_one(
                {"guild_id": guild_id, "week": week, "claimed_at": now, "request_key": request_key}
            )
        except DuplicateKeyError:
            return False
        return True

    async def release(self, guild_id: int, week: str) -> None:
        await DigestRunDocument.get_pymongo_collection().delete_one(
            {"guild_id": guild_id, "week": week}, **index_hint(DigestRunIndex.GUILD_WEEK)
        )

    async def claim_of(self, guild_id: int, week: str) -> DigestClaim | None:
        found = await DigestRunDocument.get_pymongo_collection().find_one(
            {"guild_id": guild_id, "week": week},
            {"_id": 0, "claimed_at": 1, "request_key": 1},
            **index_hint(DigestRunIndex.GUILD_WEEK),
        )
        if found is None:
            return None
        # Claims written before requests were named have no key: the schedule's, to a reader.
        return DigestClaim(claimed_at=found["claimed_at"], request_key=found.get("request_key"))
