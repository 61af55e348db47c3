"""Reading the day rollups: a period is its whole days' entries plus its first, partial day.

A period starts at any moment (`since`, e.g. 30 days ago to the millisecond) and has no end.
Its first day counts only from that moment, so that day is read from the matches themselves
(one bounded query); every later day, from its rollup document. An entry a write has not
refreshed yet (a token pending) is computed from its key's matches instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.shared.db.documents import (
    GuildDayDocument,
    MatchDocument,
    PlayerDayDocument,
    RollupIndex,
)
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import played_at_range
from app.shared.db.rollups.days import DAY, RollupKey, day_of, key_totals
from app.shared.db.rollups.totals import MATCH_PROJECTION, Totals, unpacked

_MILLISECOND = timedelta(milliseconds=1)
Scope = tuple[dict[str, Any], str]  # a match query's equalities and the index they lead


async def guild_totals(
    guild_id: int, scope: Scope, mode: Mode | None, since: datetime | None, stats: tuple[Stat, ...]
) -> dict[int, Totals]:
    """Each player's totals in a server since `since` (`scope`: the server's match query)."""
    players: dict[int, Totals] = defaultdict(Totals)

    def key_of(name: str, day: datetime) -> RollupKey | None:
        user_id, entry_mode = name.split(":")
        if mode is not None and entry_mode != mode.value:
            return None
        return RollupKey(guild_id, int(user_id), Mode(entry_mode), day)

    query = {"guild_id": guild_id, **_later_days(since)}
    async for key, entry in _entries(GuildDayDocument, query, RollupIndex.GUILD_DAY, key_of):
        players[key.user_id].add_entry(entry, stats)
    async for raw in _first_day(scope, since):
        players[raw["user_id"]].add_match(raw, stats)
    return players


async def player_totals(
    user_id: int,
    guild_id: int | None,
    scope: Scope,
    mode: Mode | None,
    since: datetime | None,
    stats: tuple[Stat, ...],
) -> Totals:
    """A player's totals since `since`, in one server or all (`scope`: their match query)."""
    totals = Totals()

    def key_of(name: str, day: datetime) -> RollupKey | None:
        entry_guild, entry_mode = name.split(":")
        if (guild_id is not None and int(entry_guild) != guild_id) or (
            mode is not None and entry_mode != mode.value
        ):
            return None
        return RollupKey(int(entry_guild), user_id, Mode(entry_mode), day)

    query = {"user_id": user_id, **_later_days(since)}
    async for _, entry in _entries(PlayerDayDocument, query, RollupIndex.PLAYER_DAY, key_of):
        totals.add_entry(entry, stats)
    async for raw in _first_day(scope, since):
        totals.add_match(raw, stats)
    return totals


def _later_days(since: datetime | None) -> dict[str, Any]:
    """The rollups of the period's whole days: after its first, or from it if it starts at
    midnight (then there is no partial day)."""
    if since is None:
        return {}
    first = day_of(since)
    return {"day": {"$gt": first - _MILLISECOND if since == first else first}}


async def _entries(
    document: Any,
    query: dict[str, Any],
    index: str,
    key_of: Callable[[str, datetime], RollupKey | None],
) -> AsyncIterator[tuple[RollupKey, Mapping[str, Any]]]:
    """The entries the query's documents hold for the keys `key_of` accepts, trusted or
    recomputed."""
    collection = document.get_pymongo_collection()
    # No projection: SecantusDB deep-copies what a projection keeps, which costs more than
    # the few version numbers it would leave out.
    async for doc in collection.find(query, **index_hint(index)):
        entries, pending = doc.get("entries", {}), doc.get("pending", {})
        # A key marked before its first refresh has no entry yet, only a pending count.
        for name in sorted(entries.keys() | pending.keys()):
            key = key_of(name, doc["day"])
            if key is None:
                continue
            stored = entries.get(name)
            if pending.get(name) or stored is None:
                entry = (await key_totals(key)).entry(with_bests=True)
            else:
                entry = unpacked(stored)
            if entry["matches"]:
                yield key, entry


async def _first_day(scope: Scope, since: datetime | None) -> AsyncIterator[Mapping[str, Any]]:
    """The matches of the period's first day, from `since` on: not in any rollup read."""
    if since is None or since == day_of(since):
        return
    query, index = scope
    period = played_at_range(since, day_of(since) + DAY)
    cursor = MatchDocument.get_pymongo_collection().find(
        {**query, **period}, MATCH_PROJECTION, **index_hint(index)
    )
    async for raw in cursor:
        yield raw
