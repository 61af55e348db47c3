"""Building every day rollup from the matches already stored: once per database, by the first
process that starts on it after the rollups were introduced, or on demand (`debrief db
rebuild-rollups`)."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from app.core.clock import utc_now
from app.core.game.metrics import stats_for_mode
from app.shared.db.documents import (
    GuildDayDocument,
    MatchDocument,
    MatchIndex,
    PlayerDayDocument,
    RollupIndex,
    RollupStateDocument,
)
from app.shared.db.hints import index_hint
from app.shared.db.rollups.days import RollupKey
from app.shared.db.rollups.totals import MATCH_PROJECTION, Totals, packed

logger = logging.getLogger(__name__)

STATE_NAME = "day_rollups"
BUILT, BUILDING = "built", "building"
# A build that has not finished in this long died with its process; another may take over.
STALE_BUILD = timedelta(minutes=10)
INSERT_BATCH = 1_000
# Every snowflake is above it: a range on the index's leading field, so that the whole
# collection is read through an index (an empty filter is a collection scan).
_ANY_ID = {"$gt": -(2**63)}


async def ensure_built() -> None:
    """Build the rollups unless this database has them (or another process is building
    them); called at start-up, after the indexes exist."""
    if await _claim():
        await build()


async def build() -> int:
    """Rebuild the rollups and record that this database has them; the number of matches."""
    count = await rebuild()
    await _state().update_one(
        {"name": STATE_NAME},
        {"$set": {"state": BUILT, "updated_at": utc_now()}},
        upsert=True,
        **index_hint(RollupIndex.STATE),
    )
    logger.info("day rollups built from %d stored matches", count)
    return count


async def rebuild() -> int:
    """Replace every rollup by one computed from the stored matches; the number of matches.

    Meant for a quiet database (start-up, or the bot and API stopped): a match written while
    it runs may be missing from its day until that day's next write.
    """
    keys: dict[RollupKey, Totals] = defaultdict(Totals)
    count = 0
    cursor = MatchDocument.get_pymongo_collection().find(
        {"guild_id": _ANY_ID}, MATCH_PROJECTION, **index_hint(MatchIndex.BY_GUILD)
    )
    async for raw in cursor:
        key = RollupKey.of(raw)
        keys[key].add_match(raw, stats_for_mode(key.mode))
        count += 1
    guild_days: dict[tuple[int, datetime], dict[str, Any]] = defaultdict(dict)
    player_days: dict[tuple[int, datetime], dict[str, Any]] = defaultdict(dict)
    for key, totals in keys.items():
        guild_days[key.guild_id, key.day][key.in_guild_day] = packed(totals.entry(with_bests=False))
        player_days[key.user_id, key.day][key.in_player_day] = packed(totals.entry(with_bests=True))
    await _replace(GuildDayDocument, "guild_id", guild_days, RollupIndex.GUILD_DAY)
    await _replace(PlayerDayDocument, "user_id", player_days, RollupIndex.PLAYER_DAY)
    return count


async def _replace(
    document: Any, owner: str, days: dict[tuple[int, datetime], dict[str, Any]], index: str
) -> None:
    collection = document.get_pymongo_collection()
    await collection.delete_many({owner: _ANY_ID}, **index_hint(index))
    rows = [
        {owner: owner_id, "day": day, "entries": entries, "pending": {}}
        for (owner_id, day), entries in days.items()
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        await collection.insert_many(rows[start : start + INSERT_BATCH], ordered=False)


async def _claim() -> bool:
    """Whether this process is to build them: nobody has, and nobody is (or the one who was
    has been at it for longer than any build takes)."""
    now = utc_now()
    try:
        await _state().insert_one({"name": STATE_NAME, "state": BUILDING, "updated_at": now})
        return True
    except DuplicateKeyError:
        pass
    state = await _state().find_one({"name": STATE_NAME}, **index_hint(RollupIndex.STATE))
    if state is None or state["state"] == BUILT or state["updated_at"] > now - STALE_BUILD:
        return False
    taken = await _state().update_one(
        {"name": STATE_NAME, "updated_at": state["updated_at"]},
        {"$set": {"updated_at": now}},
        **index_hint(RollupIndex.STATE),
    )
    return bool(taken.modified_count == 1)


def _state() -> Any:
    return RollupStateDocument.get_pymongo_collection()
