"""A query's cost follows its answer, not the size of the collection.

The same reads (a player's first and next page, their summary and trend, a server's
leaderboard and week) are run with 10,000 and then 100,000 matches in the collection, and in
the day rollups (rebuilt after each batch). The 90,000 added are none of their business: other
players in other servers, and the server's own matches from before the period. Each read must
examine exactly as many documents at 100,000 as at 10,000 (`explain`, read as the server really
runs it: tests/support/queries.py), and take at most twice as long (the fastest of several runs,
against the same server: other work on the machine only ever adds time, so the fastest run is
the read's own cost).

Seeding inserts raw documents with insert_many into a server of its own, the matches' indexes
dropped meanwhile and built again after, then rebuilds the rollups; the whole test takes about
100 s on SecantusDB (2 shared cores): the 100,000 rollup rebuild about 48 s, the 90,000 inserts
with their index build about 36 s (110 s when each insert kept nine indexes up to date).
"""

from __future__ import annotations

import contextlib
import os
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from beanie import init_beanie
from bson import ObjectId

from app.core.game.metrics import Stat
from app.core.matches import MatchFilter
from app.shared.db.connection import Database, connect_database
from app.shared.db.documents import DOCUMENT_MODELS, MatchDocument
from app.shared.db.repositories import BeanieAnalyticsRepository, BeanieMatchRepository
from app.shared.db.rollups.rebuild import rebuild as rebuild_rollups
from app.shared.embedded_db import EmbeddedDatabase
from tests.support.factories import T0, match_fields
from tests.support.queries import QueryRecorder, explain, explainable

PLAYER, SQUADMATE, HOME = 7, 8, 70
PERIOD_START = T0 - timedelta(days=30)
WEEK_START = T0 - timedelta(days=7)
SMALL, LARGE = 10_000, 100_000
RUNS = 15
BATCH = 5_000

Read = Callable[[], Awaitable[Any]]


@pytest.fixture
async def own_database(
    database: Database, query_recorder: QueryRecorder, tmp_path: Path
) -> AsyncIterator[Database]:
    """A database of its own, on a server of its own unless MONGODB_URI names one: deleting
    100,000 matches from the shared server would take longer than the test. The documents
    are bound back to the suite's database afterwards."""
    external = os.environ.get("MONGODB_URI")
    with contextlib.ExitStack() as servers:
        uri = external or servers.enter_context(EmbeddedDatabase(storage=tmp_path / "db")).uri
        name = f"debrief_cost_{uuid.uuid4().hex[:8]}"
        try:
            async with connect_database(
                uri, name, app_name="debrief-tests", listeners=[query_recorder]
            ) as own:
                yield own
                if external:
                    await own.client.drop_database(name)
        finally:
            query_recorder.commands.clear()  # explained here, against the right server
            await init_beanie(database=database.db, document_models=DOCUMENT_MODELS)


@pytest.mark.timeout(900)
async def test_the_same_reads_cost_the_same_at_10k_and_100k_matches(
    own_database: Database, query_recorder: QueryRecorder
) -> None:
    database = own_database
    cursor = await _seed_the_answers()
    reads = _reads(cursor)
    query_recorder.enabled = False
    await _add_noise(SMALL - await _count(), seed=1, database=database)
    await rebuild_rollups()  # the noise is in the day rollups too
    small = {name: await _cost(read, database, query_recorder) for name, read in reads.items()}

    await _add_noise(LARGE - await _count(), seed=2, database=database)
    await rebuild_rollups()
    large = {name: await _cost(read, database, query_recorder) for name, read in reads.items()}
    query_recorder.enabled = True

    assert await _count() == LARGE
    for name in reads:  # shown with `pytest -rP`
        print(f"{name}: examined {small[name][0]} / {large[name][0]}, "
              f"fastest {small[name][1] * 1000:.1f} / {large[name][1] * 1000:.1f} ms")  # fmt: skip
    for name in reads:
        (examined_small, seconds_small), (examined_large, seconds_large) = small[name], large[name]
        assert examined_large == examined_small, f"{name}: {examined_small} → {examined_large}"
        assert seconds_large <= 2 * seconds_small, (
            f"{name}: {seconds_small * 1000:.1f} ms → {seconds_large * 1000:.1f} ms"
        )


async def _seed_the_answers() -> Any:
    """The player's 60 matches at home (some sharing a time), a squadmate's 20; returns the
    cursor after the player's first page."""
    repository = BeanieMatchRepository()
    for i in range(60):
        played_at = T0 - timedelta(hours=12 * (i // 2))
        await repository.add(match_fields(user_id=PLAYER, guild_id=HOME, played_at=played_at))
    for i in range(20):
        played_at = T0 - timedelta(hours=30 * i)
        await repository.add(match_fields(user_id=SQUADMATE, guild_id=HOME, played_at=played_at))
    first = await repository.page(MatchFilter(user_id=PLAYER), limit=20)
    assert first.next_cursor is not None
    return first.next_cursor


def _reads(cursor: Any) -> dict[str, Read]:
    matches, analytics = BeanieMatchRepository(), BeanieAnalyticsRepository()
    mine = MatchFilter(user_id=PLAYER)
    return {
        "first page": lambda: matches.page(mine, limit=20),
        "next page": lambda: matches.page(mine, limit=20, after=cursor),
        "summary": lambda: analytics.summary(PLAYER, guild_id=None, mode=None, since=None),
        "trend": lambda: analytics.series(PLAYER, Stat.KD, guild_id=None, mode=None, last=20),
        "leaderboard": lambda: analytics.leaderboard(
            HOME, Stat.KD, since=PERIOD_START, mode=None, min_matches=1, limit=10
        ),
        "week": lambda: analytics.week_totals(HOME, WEEK_START, T0),
    }


async def _cost(read: Read, database: Database, recorder: QueryRecorder) -> tuple[int, float]:
    """Documents examined by the read's queries, and the fastest time of the read."""
    recorder.commands.clear()
    recorder.enabled = True
    try:
        await read()
    finally:
        recorder.enabled = False
    examined = 0
    for command in recorder.commands:
        for body in explainable(command):
            examined += (await explain(database.db, body)).examined
    recorder.commands.clear()
    await read()  # warm: the first run after the inserts pays for the server's caches
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await read()
        seconds.append(time.perf_counter() - started)
    return examined, min(seconds)


async def _count() -> int:
    return await MatchDocument.get_pymongo_collection().count_documents({})


async def _add_noise(count: int, *, seed: int, database: Database) -> None:
    """Matches of other players in other servers, and the home server's matches from before
    the leaderboard's period: raw copies of a stored match, inserted in batches.

    The matches' indexes are dropped for the inserts and built again after them, from the
    documents as `init_beanie` declares them at start-up: on SecantusDB that takes half the
    time of keeping nine indexes up to date at each insert, and leaves the same indexes.
    """
    collection = MatchDocument.get_pymongo_collection()
    template = await collection.find_one({"user_id": SQUADMATE})
    assert template is not None
    rng = random.Random(seed)
    await collection.drop_indexes()
    for start in range(0, count, BATCH):
        batch = [_noise(template, rng) for _ in range(min(BATCH, count - start))]
        await collection.insert_many(batch, ordered=False)
    await init_beanie(database=database.db, document_models=DOCUMENT_MODELS)


def _noise(template: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.1:
        # At home, but before the leaderboard's and the week's period.
        guild_id, user_id = HOME, rng.randrange(1_000, 1_050)
        played_at = PERIOD_START - timedelta(days=1 + rng.random() * 300)
    else:
        guild_id, user_id = rng.randrange(1, 60), rng.randrange(1_000, 3_000)
        played_at = T0 - timedelta(days=rng.random() * 90)
    return {
        **template,
        "_id": ObjectId(),
        "guild_id": guild_id,
        "user_id": user_id,
        "interaction_id": rng.getrandbits(62),
        "played_at": played_at,
        "source": "manual",
        "screenshot_hashes": [],
    }
