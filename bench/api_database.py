"""Loading the benchmark's community into MongoDB fast, in exactly the shape the app writes.

Matches are bulk-inserted before the indexes exist, then one `connect_database` (what the API
does at start-up) builds them, and the day rollups from the matches as for any database that
had matches before them: a bulk load followed by one index build is several times faster
than maintaining ten indexes on every insert. Two checks make sure the shortcut changes
nothing: a seeded match reads back through `BeanieMatchRepository.get` unchanged, and a copy
of it saved through `BeanieMatchRepository.add` is stored identically.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from beanie import init_beanie
from beanie.odm.utils.dump import get_dict
from bson import ObjectId
from pymongo import AsyncMongoClient

from app.api.auth.refresh_tokens import RefreshTokens
from app.core.accounts import UserFields
from app.core.clock import utc_now
from app.core.matches import Match, MatchFields, PageCursor
from app.shared.catalog.loader import load_catalog
from app.shared.db.connection import Database, connect_database
from app.shared.db.documents import DOCUMENT_MODELS, MatchDocument
from app.shared.db.repositories import (
    BeanieMatchRepository,
    BeanieRefreshTokenRepository,
    BeanieUserRepository,
)
from bench.api_seed import World, matches, users

T = TypeVar("T")

INSERT_BATCH = 5_000
USER_UPSERTS_AT_ONCE = 50
# Fields that must differ between two matches (unique indexes) and the id itself.
_IDENTITY = frozenset({"_id", "interaction_id", "screenshot_hashes"})


class SeedingError(RuntimeError):
    """The seeded data would not be what the app itself writes and reads."""


@dataclass
class SeedTimings:
    build_s: float = 0.0
    insert_s: float = 0.0
    index_s: float = 0.0
    users_s: float = 0.0

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("build documents (app models)", f"{self.build_s:.1f} s"),
            ("insert_many", f"{self.insert_s:.1f} s"),
            ("index build and day rollups (connect_database)", f"{self.index_s:.1f} s"),
            ("users upserted with server snapshots", f"{self.users_s:.1f} s"),
        ]


@dataclass
class Seeded:
    matches: int = 0
    timings: SeedTimings = field(default_factory=SeedTimings)
    # Each player's matches as (played_at, id): where their pages start and end.
    positions: dict[int, list[tuple[datetime, ObjectId]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # Each player's logged-in session (refresh-token family): their access tokens name it.
    sessions: dict[int, str] = field(default_factory=dict)

    def page_cursor(self, user_id: int, page_size: int) -> str | None:
        """The cursor the API gives with a player's first page (None: only one page)."""
        newest = sorted(self.positions[user_id], reverse=True)
        if len(newest) <= page_size:
            return None
        played_at, match_id = newest[page_size - 1]
        tied = newest[page_size][0] == played_at
        return PageCursor(played_at=played_at, match_id=str(match_id), tied=tied).encode()


async def seed_database(
    uri: str, database: str, world: World, *, now: datetime, seed: int
) -> Seeded:
    """Insert every match and user of `world`, build the indexes, and check the round trip."""
    seeded = Seeded()
    catalog = load_catalog()
    maps = [entry.name for entry in catalog.maps if entry.ranked]
    weapons = [entry.name for entry in catalog.weapons]
    generated = matches(world, now=now, seed=seed, maps=maps, weapons=weapons)
    first, first_id = await _bulk_insert(uri, database, generated, seeded)
    started = time.perf_counter()
    async with connect_database(uri, database, app_name="debrief-bench-seed") as connected:
        seeded.timings.index_s = time.perf_counter() - started
        started = time.perf_counter()
        await _upsert_users(users(world, now))
        seeded.timings.users_s = time.perf_counter() - started
        seeded.sessions = await _start_sessions(world)
        await check_round_trip(first, first_id)
        await check_same_storage(connected, first, first_id)
    return seeded


def stored_form(fields: MatchFields) -> dict[str, Any]:
    """The document `MatchDocument.insert()` sends for these fields (Beanie's own encoding)."""
    document = MatchDocument.model_validate(fields.model_dump())
    encoded: dict[str, Any] = get_dict(document, to_db=True)
    return encoded


async def _bulk_insert(
    uri: str, database: str, generated: Iterator[MatchFields], seeded: Seeded
) -> tuple[MatchFields, ObjectId]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(uri, tz_aware=True)
    try:
        db = client[database]
        # Registers the documents (needed to encode them) without creating any index yet.
        await init_beanie(database=db, document_models=DOCUMENT_MODELS, skip_indexes=True)
        collection = db[MatchDocument.get_collection_name()]
        first: tuple[MatchFields, ObjectId] | None = None
        for batch in _batches(generated, INSERT_BATCH):
            started = time.perf_counter()
            documents = [stored_form(fields) for fields in batch]
            seeded.timings.build_s += time.perf_counter() - started
            started = time.perf_counter()
            result = await collection.insert_many(documents)
            seeded.timings.insert_s += time.perf_counter() - started
            seeded.matches += len(result.inserted_ids)
            for fields, match_id in zip(batch, result.inserted_ids, strict=True):
                seeded.positions[fields.user_id].append((fields.played_at, match_id))
            first = first or (batch[0], result.inserted_ids[0])
    finally:
        await client.close()
    if first is None:
        raise SeedingError("no match to insert")
    return first


async def _start_sessions(world: World) -> dict[int, str]:
    """A session per player, as their login starts one; its id by player."""
    # No API runs in this process: no cache of active sessions to tell about revocations.
    tokens = RefreshTokens(
        BeanieRefreshTokenRepository(), utc_now, timedelta(days=1), on_revoked=lambda _: None
    )
    sessions: dict[int, str] = {}
    for chunk in _batches(iter(world.players), USER_UPSERTS_AT_ONCE):
        issued = await asyncio.gather(*(tokens.start_family(p.discord_id) for p in chunk))
        sessions.update((p.discord_id, i.family_id) for p, i in zip(chunk, issued, strict=True))
    return sessions


async def _upsert_users(fields: Sequence[UserFields]) -> None:
    repository = BeanieUserRepository()
    for chunk in _batches(iter(fields), USER_UPSERTS_AT_ONCE):
        await asyncio.gather(*(repository.upsert(user) for user in chunk))


async def check_round_trip(fields: MatchFields, match_id: ObjectId) -> None:
    """A seeded match reads back through the app's repository exactly as it was built."""
    expected = Match(id=str(match_id), **fields.model_dump())
    read = await BeanieMatchRepository().get(str(match_id))
    if read != expected:
        raise SeedingError(f"seeded match {match_id} reads back as {read!r}, not {expected!r}")


async def check_same_storage(connected: Database, fields: MatchFields, match_id: ObjectId) -> None:
    """A copy saved through `BeanieMatchRepository.add` is stored exactly like the seeded one."""
    repository = BeanieMatchRepository()
    interaction_id = fields.interaction_id + 10**15
    hashes = [f"{interaction_id:064x}"] if fields.screenshot_hashes else []
    copy = fields.model_copy(update={"interaction_id": interaction_id, "screenshot_hashes": hashes})
    saved = await repository.add(copy)
    try:
        collection = connected.db[MatchDocument.get_collection_name()]
        seeded = await collection.find_one({"_id": match_id})
        written = await collection.find_one({"_id": ObjectId(saved.id)})
    finally:
        await repository.delete(saved.id)
    if seeded is None or written is None or _without_identity(seeded) != _without_identity(written):
        raise SeedingError(f"seeded {seeded!r} is not stored like the app's {written!r}")


def _without_identity(document: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in _IDENTITY}


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
