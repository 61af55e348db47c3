"""Cooldowns in MongoDB: one document per key, taken atomically by whoever starts it first."""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from app.core.ports import CooldownRepository
from app.shared.db.documents import CooldownDocument, CooldownIndex
from app.shared.db.hints import index_hint

# A lost race is retried; it only happens again if the cooldown that won expires meanwhile.
_ATTEMPTS = 3


class BeanieCooldownRepository(CooldownRepository):
    async def start(self, key: str, now: datetime, duration: timedelta) -> timedelta | None:
        for _ in range(_ATTEMPTS):
            if await _take(key, now, duration):
                return None
            running: CooldownDocument | None = await CooldownDocument.find_one(
                {"key": key}, **index_hint(CooldownIndex.KEY)
            )
            if running is not None and running.expires_at > now:
                return running.expires_at - now
        raise RuntimeError(f"cooldown {key!r} kept changing while it was being started")

    async def give_back(self, key: str, started: datetime, duration: timedelta) -> None:
        # Its own expiry identifies it: another start gets another one.
        await CooldownDocument.get_pymongo_collection().delete_one(
            {"key": key, "expires_at": started + duration}, **index_hint(CooldownIndex.KEY)
        )


async def _take(key: str, now: datetime, duration: timedelta) -> bool:
    """Start the cooldown unless one is running; False if one is.

    The filter matches the key only when its cooldown is over, so a running one makes the
    upsert insert a second document with the same key, which the unique index refuses: of
    any number of concurrent callers exactly one gets through.
    """
    try:
        await CooldownDocument.get_pymongo_collection().update_one(
            {"key": key, "expires_at": {"$lte": now}},
            {"$set": {"expires_at": now + duration}},
            upsert=True,
            **index_hint(CooldownIndex.KEY),
        )
    except DuplicateKeyError:
        return False
    return True
