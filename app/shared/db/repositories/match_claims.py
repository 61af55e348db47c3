"""Same-match claims in MongoDB: one document per key, changed only by compare-and-set."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from app.core.errors import Conflict
from app.core.squad.claims import ClaimKey, MatchClaim, holds_against
from app.shared.db.documents import MatchClaimDocument
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import ID_INDEX

# Tries at a key whose holder keeps releasing it under us (recordings failing): then give up.
_ATTEMPTS = 3


def _key(key: ClaimKey) -> dict[str, Any]:
    return {"_id": _id_of(key)}


def _id_of(key: ClaimKey) -> str:
    """The claim's `_id`, a string (SecantusDB finds a subdocument `_id` by scanning). The map
    goes last: whatever it holds, the fixed-form fields before it keep two keys apart."""
    return ":".join(
        (
            str(key.guild_id),
            str(key.user_id),
            key.mode.value,
            str(key.team_score),
            str(key.enemy_score),
            key.map,
        )
    )


def _held(claim: MatchClaim) -> dict[str, Any]:
    return {
        "played_at": claim.played_at,
        "holder": claim.holder,
        "captured": claim.captured,
        "claimed_at": claim.claimed_at,
    }


async def take_claim(claim: MatchClaim, window: timedelta) -> MatchClaim | None:
    collection = MatchClaimDocument.get_pymongo_collection()
    for _ in range(_ATTEMPTS):
        # A new key (the usual case): the insert takes it, and of two racing, the unique index
        # lets one in. Every statement is found by the key (`_id`): one index entry each.
        try:
            await collection.insert_one({**_key(claim.key), **_held(claim)})
            return None
        except DuplicateKeyError:
            pass
        holding = await _holding(claim.key)
        if holding is None:
            continue  # released meanwhile: ask again
        if holds_against(holding, claim, window):
            return holding
        # A claim outside the window (an earlier match): replaced only if it is still the
        # one read, so of two recordings replacing it, one does.
        if await take_over_claim(claim, holding):
            return None
    raise Conflict


async def _holding(key: ClaimKey) -> MatchClaim | None:
    found = await MatchClaimDocument.get_pymongo_collection().find_one(
        _key(key), **index_hint(ID_INDEX)
    )
    if found is None:
        return None
    return MatchClaim(
        key=key,
        played_at=found["played_at"],
        holder=found["holder"],
        captured=found["captured"],
        claimed_at=found["claimed_at"],
    )


async def take_over_claim(claim: MatchClaim, stale: MatchClaim) -> bool:
    result = await MatchClaimDocument.get_pymongo_collection().update_one(
        {**_key(claim.key), "holder": stale.holder, "claimed_at": stale.claimed_at},
        {"$set": _held(claim)},
        **index_hint(ID_INDEX),
    )
    return result.modified_count == 1


async def release_claim(claim: MatchClaim) -> None:
    await MatchClaimDocument.get_pymongo_collection().delete_one(
        {**_key(claim.key), "holder": claim.holder}, **index_hint(ID_INDEX)
    )
