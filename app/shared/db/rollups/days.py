"""Day rollups of the matches, kept by the match repository's writes.

Two collections hold the same numbers, each for the read it serves in a few documents: a
server's day per player and mode (`guild_days`, leaderboards) and a player's day per server and
mode (`player_days`, summaries). An entry covers one key, a (server, player, mode, day), and is
always *recomputed* from that key's matches, a bounded query, never incremented, so a replayed
or repeated refresh changes nothing.

A write of a match (add, correct, delete) runs in three steps:

1. `mark`: the write's own token, with the time, under `pending.<key>` in both documents,
   before the match is written;
2. the match is written;
3. `refresh`: `versions.<key>` + 1 (this refresh's version), then the key's matches are read
   and the entry is set, in each document, only if no newer version has been set; then the
   write's token is removed.

A read trusts an entry only when no token is pending; otherwise (a write in flight, or one
whose process died between 1 and 3) it computes that key from the matches itself. A refresh's
read follows its own write and its version bump, so the refresh with the highest version saw
every write that started before it; once every write has finished, that one is set. A token
older than `ABANDONED` belongs to a process that died: the key's next refresh, whose read
follows that write, removes it with its own.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument

from app.core.clock import utc_now
from app.core.game.metrics import stats_for_mode
from app.core.game.rules import Mode
from app.core.matches import MatchFields
from app.shared.db.documents import (
    MODE_FIELD,
    GuildDayDocument,
    MatchDocument,
    MatchIndex,
    PlayerDayDocument,
    RollupIndex,
)
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import played_at_range
from app.shared.db.rollups.totals import MATCH_PROJECTION, Totals, packed

DAY = timedelta(days=1)
# A write marks, writes its match and refreshes in milliseconds; one that has not finished
# after this long died.
ABANDONED = timedelta(minutes=10)


def day_of(moment: datetime) -> datetime:
    """The UTC day a moment belongs to, as its midnight."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True, slots=True)
class RollupKey:
    guild_id: int
    user_id: int
    mode: Mode
    day: datetime

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> RollupKey:
        """The key of a stored match."""
        return cls(
            guild_id=raw["guild_id"],
            user_id=raw["user_id"],
            mode=Mode(raw["stats"]["player"]["mode"]),
            day=day_of(raw["played_at"]),
        )

    @classmethod
    def of_match(cls, match: MatchFields, *, mode: Mode | None = None) -> RollupKey:
        """The key of a match (as it would be with `mode`, for a correction)."""
        return cls(match.guild_id, match.user_id, mode or match.stats.mode, day_of(match.played_at))

    @property
    def in_guild_day(self) -> str:
        return f"{self.user_id}:{self.mode.value}"

    @property
    def in_player_day(self) -> str:
        return f"{self.guild_id}:{self.mode.value}"

    def guild_day(self) -> dict[str, Any]:
        return {"guild_id": self.guild_id, "day": self.day}

    def player_day(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "day": self.day}


async def mark(keys: Iterable[RollupKey]) -> str:
    """Step 1: these keys' entries are not to be trusted until their refresh; the token that
    refresh takes."""
    token, now = uuid.uuid4().hex, utc_now()
    for key in set(keys):
        # The two documents are independent: marked at once, as on a match's critical path.
        await asyncio.gather(
            _guild_days().update_one(
                key.guild_day(),
                {"$set": {f"pending.{key.in_guild_day}.{token}": now}},
                upsert=True,
                **index_hint(RollupIndex.GUILD_DAY),
            ),
            _player_days().update_one(
                key.player_day(),
                {"$set": {f"pending.{key.in_player_day}.{token}": now}},
                upsert=True,
                **index_hint(RollupIndex.PLAYER_DAY),
            ),
        )
    return token


async def refresh(key: RollupKey, token: str | None) -> None:
    """Step 3: the key's entries recomputed from its matches; `token` is step 1's (None: a
    refresh no write marked)."""
    bumped = await _guild_days().find_one_and_update(
        key.guild_day(),
        {"$inc": {f"versions.{key.in_guild_day}": 1}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
        projection={f"versions.{key.in_guild_day}": 1, f"pending.{key.in_guild_day}": 1},
        **index_hint(RollupIndex.GUILD_DAY),
    )
    if bumped is None:  # an upsert that returns the document after never returns none
        raise LookupError("the rollup's version was not returned")
    version = bumped["versions"][key.in_guild_day]
    done = _abandoned(bumped.get("pending", {}).get(key.in_guild_day, {}))
    done += [token] if token else []
    totals = await key_totals(key)
    await asyncio.gather(
        _set_entry(
            _guild_days(),
            key.guild_day(),
            key.in_guild_day,
            totals.entry(with_bests=False),
            version,
            done=done,
            index=RollupIndex.GUILD_DAY,
        ),
        _set_entry(
            _player_days(),
            key.player_day(),
            key.in_player_day,
            totals.entry(with_bests=True),
            version,
            done=done,
            index=RollupIndex.PLAYER_DAY,
        ),
    )


def _abandoned(tokens: Mapping[str, datetime]) -> list[str]:
    oldest_alive = utc_now() - ABANDONED
    return [token for token, marked_at in tokens.items() if marked_at < oldest_alive]


async def key_totals(key: RollupKey) -> Totals:
    """One key's matches added up: a bounded read of one player's day in one server and mode."""
    query = {
        "guild_id": key.guild_id,
        "user_id": key.user_id,
        MODE_FIELD: key.mode.value,
        **played_at_range(key.day, key.day + DAY),
    }
    totals = Totals()
    stats = stats_for_mode(key.mode)
    async for raw in MatchDocument.get_pymongo_collection().find(
        query, MATCH_PROJECTION, **index_hint(MatchIndex.BY_GUILD_USER_MODE)
    ):
        totals.add_match(raw, stats)
    return totals


async def _set_entry(
    collection: Any,
    where: dict[str, Any],
    name: str,
    entry: dict[str, Any],
    version: int,
    *,
    done: list[str],
    index: str,
) -> None:
    unmark = {"$unset": {f"pending.{name}.{token}": "" for token in done}} if done else {}
    # Not over a newer version's entry: `$not $gte` also matches an entry not set yet.
    newer_not_set = {f"entry_versions.{name}": {"$not": {"$gte": version}}}
    result = await collection.update_one(
        {**where, **newer_not_set},
        {
            "$set": {f"entries.{name}": packed(entry), f"entry_versions.{name}": version},
            **unmark,
        },
        **index_hint(index),
    )
    if result.matched_count == 0 and unmark:
        await collection.update_one(where, unmark, **index_hint(index))


def _guild_days() -> Any:
    return GuildDayDocument.get_pymongo_collection()


def _player_days() -> Any:
    return PlayerDayDocument.get_pymongo_collection()
