"""Matches in MongoDB. Every query names the index it is written for."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import ObjectId
from pymongo import DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from app.core.errors import Conflict, DuplicateMatch
from app.core.game.catalog import CatalogFlag
from app.core.game.disagreements import ReaderFlag
from app.core.game.modes import MatchStats
from app.core.game.rules import Result
from app.core.matches import (
    Match,
    MatchFields,
    MatchFilter,
    MatchPage,
    MatchSource,
    MatchTotals,
    PageCursor,
)
from app.core.ports import MatchRepository
from app.core.squad.claims import MatchClaim
from app.shared.db.documents import MODE_FIELD, MatchDocument, MatchIndex
from app.shared.db.hints import current_backend, index_hint
from app.shared.db.repositories import match_claims
from app.shared.db.repositories._base import (
    ID_INDEX,
    object_id,
    played_at_range,
    raw_to_domain,
    to_domain,
    whole_millisecond,
)
from app.shared.db.rollups import days as rollups
from app.shared.db.rollups.days import RollupKey

logger = logging.getLogger(__name__)

_NEWEST_FIRST = [("played_at", DESCENDING), ("_id", DESCENDING)]
# Where SecantusDB reads everything a page's bounds cover (it never pushes a limit down), a
# page asks for a week of matches first, then the three weeks before, then everything older:
# a page of an active player reads about its own span, and a short or old history costs at
# most three small queries (each query has a fixed cost too, so the windows stop there).
FIRST_WINDOW = timedelta(days=7)
WIDENING = 4
WIDEST_WINDOW = FIRST_WINDOW * WIDENING
_MILLISECOND = timedelta(milliseconds=1)
_TOTALS: dict[str, Any] = {
    "matches": {"$sum": 1},
    **{
        field: {"$sum": {"$cond": [{"$eq": ["$stats.result", result.value]}, 1, 0]}}
        for field, result in (("wins", Result.WIN), ("losses", Result.LOSS), ("draws", Result.DRAW))
    },
    "kills": {"$sum": "$stats.player.kills"},
    "deaths": {"$sum": "$stats.player.deaths"},
}


class BeanieMatchRepository(MatchRepository):
    def __init__(self) -> None:
        # Matches added with `settle=False`: the rollup key and token their refresh takes.
        # Lost with the process, which the rollups survive: the key stays pending, so it is
        # read from its matches, until its next write's refresh removes the abandoned token.
        self._unsettled: dict[str, tuple[RollupKey, str]] = {}

    async def add(self, match: MatchFields, *, settle: bool = True) -> Match:
        document = MatchDocument.model_validate(match.model_dump())
        key = RollupKey.of_match(match)
        token = await rollups.mark([key])
        try:
            await document.insert()
        except DuplicateKeyError:
            await rollups.refresh(key, token)
            raise await self._duplicate_of(match) from None
        except BaseException:
            await rollups.refresh(key, token)
            raise
        saved = to_domain(document, Match)
        if settle:
            await rollups.refresh(key, token)
        else:
            self._unsettled[saved.id] = (key, token)
        return saved

    async def settle(self, match_id: str) -> None:
        unsettled = self._unsettled.pop(match_id, None)
        if unsettled is None:
            return
        try:
            await rollups.refresh(*unsettled)
        except Exception:
            logger.exception("the day rollups of match %s stay pending", match_id)

    async def _duplicate_of(self, match: MatchFields) -> Exception:
        existing = (
            await self.find_by_interaction(match.interaction_id)
            or await self.find_by_screenshots(match.user_id, match.screenshot_hashes)
            or await self._same_capture(match)
        )
        return Conflict() if existing is None else DuplicateMatch(existing.id)

    async def get(self, match_id: str) -> Match | None:
        oid = object_id(match_id)
        document = await MatchDocument.get(oid) if oid else None
        return to_domain(document, Match) if document else None

    async def find_by_interaction(self, interaction_id: int) -> Match | None:
        document = await MatchDocument.find_one(
            {"interaction_id": interaction_id}, **index_hint(MatchIndex.INTERACTION)
        )
        return to_domain(document, Match) if document else None

    async def find_by_screenshots(self, user_id: int, hashes: Collection[str]) -> Match | None:
        if not hashes:
            return None
        document = await MatchDocument.find_one(
            {"screenshot_hashes": {"$in": list(hashes)}, "user_id": user_id},
            **index_hint(MatchIndex.SCREENSHOT_LOOKUP),
        )
        return to_domain(document, Match) if document else None

    async def page(
        self, where: MatchFilter, *, limit: int, after: PageCursor | None = None
    ) -> MatchPage:
        branches, index = listing_branches(where, after)
        if current_backend().pushes_limit_down:
            documents = await newest_first(branches, index, limit + 1)
        else:
            documents = await newest_first_in_windows(branches, index, limit + 1)
        # Straight from the stored form to the core model: one validation, not two (the
        # document's, then the model's).
        matches = [raw_to_domain(raw, Match) for raw in documents[:limit]]
        cursor = None
        if len(documents) > limit:
            last = matches[-1]
            tied = documents[limit]["played_at"] == documents[limit - 1]["played_at"]
            cursor = PageCursor(played_at=last.played_at, match_id=last.id, tied=tied)
        return MatchPage(matches=matches, next_cursor=cursor)

    async def totals(self, where: MatchFilter) -> MatchTotals:
        [query], index = listing_branches(where, None)
        pipeline = [{"$match": query}, {"$group": {"_id": None, **_TOTALS}}]
        cursor = await MatchDocument.get_pymongo_collection().aggregate(
            pipeline, **index_hint(index)
        )
        found = await cursor.to_list()
        return (
            MatchTotals(**{k: v for k, v in found[0].items() if k != "_id"})
            if found
            else MatchTotals()
        )

    async def correct(
        self,
        match_id: str,
        stats: MatchStats,
        flags: list[CatalogFlag],
        now: datetime,
        *,
        reader_flags: list[ReaderFlag],
    ) -> Match | None:
        oid = object_id(match_id)
        current = await self.get(match_id) if oid else None
        if oid is None or current is None:
            return None
        # The correction may change the mode, so the match may move to another key.
        keys = {RollupKey.of_match(current), RollupKey.of_match(current, mode=stats.mode)}
        token = await rollups.mark(keys)
        try:
            return await self._correct(oid, stats, flags, reader_flags, now)
        finally:
            for key in keys:
                await rollups.refresh(key, token)

    async def _correct(
        self,
        oid: ObjectId,
        stats: MatchStats,
        flags: list[CatalogFlag],
        reader_flags: list[ReaderFlag],
        now: datetime,
    ) -> Match | None:
        raw = await MatchDocument.get_pymongo_collection().find_one_and_update(
            {"_id": oid},
            {
                "$set": {
                    "stats": stats.model_dump(mode="python"),
                    "catalog_flags": [f.model_dump(mode="python") for f in flags],
                    "reader_flags": [f.model_dump(mode="python") for f in reader_flags],
                    "corrected": True,
                    "updated_at": now,
                }
            },
            return_document=ReturnDocument.AFTER,
            **index_hint(ID_INDEX),
        )
        return raw_to_domain(raw, Match) if raw else None

    async def delete(self, match_id: str) -> bool:
        oid = object_id(match_id)
        current = await self.get(match_id) if oid else None
        if oid is None or current is None:
            return False
        key = RollupKey.of_match(current)
        token = await rollups.mark([key])
        try:
            result = await MatchDocument.get_pymongo_collection().delete_one(
                {"_id": oid}, **index_hint(ID_INDEX)
            )
        finally:
            await rollups.refresh(key, token)
        return result.deleted_count == 1

    async def _same_capture(self, match: MatchFields) -> Match | None:
        if match.captured_from is None:
            return None
        captured = await self.captured_from(match.captured_from.match_id)
        return next((known for known in captured if known.user_id == match.user_id), None)

    async def captured_from(self, origin_match_id: str) -> list[Match]:
        cursor = MatchDocument.get_pymongo_collection().find(
            {"captured_from.match_id": origin_match_id, "source": MatchSource.CAPTURED.value},
            sort=[("user_id", 1)],
            **index_hint(MatchIndex.CAPTURED_FROM),
        )
        return [raw_to_domain(raw, Match) async for raw in cursor]

    async def pending_captures(self, created_before: datetime, *, limit: int) -> list[Match]:
        cursor = MatchDocument.get_pymongo_collection().find(
            {"capture_pending": True, "created_at": {"$lt": created_before}},
            sort=[("created_at", 1)],
            limit=limit,
            **index_hint(MatchIndex.CAPTURE_PENDING),
        )
        return [raw_to_domain(raw, Match) async for raw in cursor]

    async def take_claim(self, claim: MatchClaim, window: timedelta) -> MatchClaim | None:
        return await match_claims.take_claim(claim, window)

    async def take_over_claim(self, claim: MatchClaim, stale: MatchClaim) -> bool:
        return await match_claims.take_over_claim(claim, stale)

    async def release_claim(self, claim: MatchClaim) -> None:
        await match_claims.release_claim(claim)

    async def finish_capture(self, match_id: str) -> None:
        oid = object_id(match_id)
        if oid is None:
            return
        await MatchDocument.get_pymongo_collection().update_one(
            {"_id": oid},
            {"$set": {"capture_pending": False, "pending_lobby": []}},
            **index_hint(ID_INDEX),
        )


def listing_branches(
    where: MatchFilter, after: PageCursor | None
) -> tuple[list[dict[str, Any]], str]:
    """A listing as disjoint filters in the listing's order, each one an equality prefix of
    `index` plus at most one range on `played_at` or `_id`: bounds a planner can use as is.

    Resuming after a cursor is the `$or` of two such ranges, not a `$nor` that no planner can
    bound: the cursor's own timestamp with a smaller id, then strictly earlier timestamps.
    """
    scope, index = _scope(where)
    extra = {"stats.map": where.map} if where.map else {}
    if after is None:
        period = played_at_range(where.played_from, where.played_until)
        return [{**scope, **period, **extra}], index
    # The cursor came from a row of this listing, so its timestamp is inside the period.
    same_time = {**scope, "played_at": after.played_at, "_id": {"$lt": object_id(after.match_id)}}
    earlier = {**scope, **played_at_range(where.played_from, after.played_at)}
    if not after.tied:  # no other match had the cursor's time when its page was read
        return [{**earlier, **extra}], index
    return [{**same_time, **extra}, {**earlier, **extra}], index


async def newest_first(
    branches: list[dict[str, Any]], index: str, limit: int
) -> list[dict[str, Any]]:
    """The first `limit` matches of the branches, newest first, as stored.

    MongoDB gets one query (a rooted `$or` is planned branch by branch); SecantusDB would scan
    the whole collection for a rooted `$or`, so it gets one bounded query per branch, in order,
    until the page is full.
    """
    if len(branches) == 1 or current_backend().bounds_several_ranges:
        query = branches[0] if len(branches) == 1 else {"$or": branches}
        return await _find_newest(query, index, limit)
    found: list[dict[str, Any]] = []
    for branch in branches:
        found += await _find_newest(branch, index, limit - len(found))
        if len(found) >= limit:
            break
    return found


async def newest_first_in_windows(
    branches: list[dict[str, Any]], index: str, limit: int, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The same matches as `newest_first`, each branch read a `played_at` window at a time.

    The windows of a branch are disjoint and together exactly its range, newest first, so
    their rows in turn are the branch's rows in order; a branch that pins `played_at` (a
    cursor's own timestamp) is read as it is.
    """
    found: list[dict[str, Any]] = []
    for branch in branches:
        for query in _windowed(branch, now or datetime.now(UTC)):
            found += await _find_newest(query, index, limit - len(found))
            if len(found) >= limit:
                return found
    return found


def _windowed(branch: dict[str, Any], now: datetime) -> Iterator[dict[str, Any]]:
    played_at = branch.get("played_at", {})
    if not isinstance(played_at, dict):  # pinned to one timestamp: already narrow
        yield branch
        return
    rest = {key: value for key, value in branch.items() if key != "played_at"}
    for window in _windows(played_at, now):
        yield {**rest, "played_at": window} if window else rest


def _windows(played_at: dict[str, datetime], now: datetime) -> Iterator[dict[str, datetime]]:
    """`played_at`'s range (`$gt` one millisecond before its start, `$lt` its end, either
    optional, as `played_at_range` writes them) cut into windows, newest first.

    Every bound is a whole millisecond, as stored, so a match at a window's start is in that
    window and not in the next one.
    """
    floor, until = played_at.get("$gt"), played_at.get("$lt")
    top = whole_millisecond(until or now)
    span = FIRST_WINDOW
    upper = {"$lt": until} if until is not None else {}
    while True:
        start = top - span
        if span > WIDEST_WINDOW or (floor is not None and start - _MILLISECOND <= floor):
            yield {**({"$gt": floor} if floor is not None else {}), **upper}
            return
        yield {"$gt": start - _MILLISECOND, **upper}
        upper = {"$lt": start}
        span *= WIDENING


async def _find_newest(query: dict[str, Any], index: str, limit: int) -> list[dict[str, Any]]:
    cursor = MatchDocument.get_pymongo_collection().find(
        query, sort=_NEWEST_FIRST, limit=limit, **index_hint(index)
    )
    rows: list[dict[str, Any]] = await cursor.to_list()
    return rows


def _scope(where: MatchFilter) -> tuple[dict[str, Any], str]:
    mode = {MODE_FIELD: where.mode.value} if where.mode else {}
    if where.guild_id is not None and where.user_id is not None:
        index = MatchIndex.BY_GUILD_USER_MODE if mode else MatchIndex.BY_GUILD_USER
        return {"guild_id": where.guild_id, "user_id": where.user_id, **mode}, index
    if where.guild_id is not None:
        index = MatchIndex.BY_GUILD_MODE if mode else MatchIndex.BY_GUILD
        return {"guild_id": where.guild_id, **mode}, index
    if where.user_id is not None:
        index = MatchIndex.BY_USER_MODE if mode else MatchIndex.BY_USER
        return {"user_id": where.user_id, **mode}, index
    # A query across every user in every server was one of the original's faults.
    raise ValueError("a match listing must be scoped to a server or a user")
