"""The day rollups stay equal to a recomputation from the matches, whatever the writes.

Random sequences of adds, corrections (some changing the mode) and deletions go through the
match repository against the real server; afterwards every rollup entry must equal the one a
rebuild computes from the matches left, nothing may be left pending, and the summaries and
leaderboards must equal the plain-Python reference. A write cut off between the match and its
rollup (a process that died), and concurrent writes to one key, are checked too.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.game.metrics import Stat
from app.core.game.modes import MatchStats
from app.core.game.rules import Mode
from app.core.matches import Match
from app.shared.db.connection import Database
from app.shared.db.documents import GuildDayDocument, MatchDocument, PlayerDayDocument
from app.shared.db.repositories import BeanieAnalyticsRepository, BeanieMatchRepository
from app.shared.db.rollups import days as rollups
from app.shared.db.rollups.days import RollupKey
from app.shared.db.rollups.rebuild import rebuild
from app.shared.db.rollups.totals import unpacked
from tests.support.factories import T0, match_fields
from tests.support.queries import QueryRecorder
from tests.unit.debriefing.builders import fields, raw_stats
from tests.unit.fakes import FakeMatches
from tests.unit.fakes_analytics import FakeAnalytics

GUILDS, USERS = (501, 502), (11, 12)
MODES = (Mode.HARDPOINT, Mode.SEARCH_AND_DESTROY, Mode.OVERLOAD)
HOURS = st.integers(min_value=0, max_value=24 * 4)  # a few days, so keys share days


@st.composite
def stats(draw: st.DrawFn) -> dict[str, Any]:
    mode = draw(st.sampled_from(MODES))
    return raw_stats(
        mode=mode,
        # Only Hardpoint can end level; a Search and Destroy player has a life a round.
        result=draw(
            st.sampled_from(["win", "loss", "draw"] if mode is Mode.HARDPOINT else ["win", "loss"])
        ),
        kills=draw(st.integers(0, 12)),
        deaths=draw(st.integers(0, 12 if mode is not Mode.SEARCH_AND_DESTROY else 9)),
        accuracy=(draw(st.one_of(st.none(), st.integers(1, 90).map(float))),),
    )


ADD = st.tuples(st.just("add"), st.sampled_from(GUILDS), st.sampled_from(USERS), HOURS, stats())
CORRECT = st.tuples(st.just("correct"), st.integers(0, 50), stats())
DELETE = st.tuples(st.just("delete"), st.integers(0, 50))
STEPS = st.lists(st.one_of(ADD, ADD, CORRECT, DELETE), min_size=1, max_size=15)


async def apply(steps: list[tuple[Any, ...]]) -> None:
    repository, saved = BeanieMatchRepository(), list[Match]()
    for step in steps:
        if step[0] == "add":
            _, guild_id, user_id, hours, raw = step
            played_at = T0 - timedelta(hours=hours, minutes=len(saved))
            match = match_fields(
                guild_id=guild_id, user_id=user_id, played_at=played_at, raw_stats=raw
            )
            saved.append(await repository.add(match))
        elif saved and step[0] == "correct":
            target = saved[step[1] % len(saved)]
            stats = MatchStats.model_validate(step[2])
            await repository.correct(target.id, stats, [], T0, reader_flags=[])
        elif saved:
            await repository.delete(saved[step[1] % len(saved)].id)


async def stored_entries() -> dict[tuple[str, Any, str], dict[str, Any]]:
    """Every non-empty entry of both collections (without its version), by where it is."""
    found: dict[tuple[str, Any, str], dict[str, Any]] = {}
    for document, owner in ((GuildDayDocument, "guild_id"), (PlayerDayDocument, "user_id")):
        async for doc in document.get_pymongo_collection().find({owner: {"$gt": 0}}):
            assert not any(doc.get("pending", {}).values()), f"left pending: {doc}"
            for name, stored in doc.get("entries", {}).items():
                entry = unpacked(stored)
                if entry["matches"]:
                    found[owner, (doc[owner], doc["day"]), name] = _flat(entry)
    return found


def _flat(entry: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in entry.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


async def reference() -> FakeAnalytics:
    matches = FakeMatches()
    async for document in MatchDocument.find({"guild_id": {"$gt": 0}}):
        data = document.model_dump(exclude={"id", "revision_id"})
        matches.rows[str(document.id)] = Match(id=str(document.id), **data)
    return FakeAnalytics(matches)


async def assert_reads_match_python() -> None:
    analytics, expected = BeanieAnalyticsRepository(), await reference()
    for since in (None, T0 - timedelta(hours=50)):
        for user_id in USERS:
            actual = await analytics.summary(user_id, guild_id=None, mode=None, since=since)
            wanted = await expected.summary(user_id, guild_id=None, mode=None, since=since)
            assert actual.model_dump(exclude={"averages"}) == wanted.model_dump(
                exclude={"averages"}
            )
            assert [(a.stat, a.matches) for a in actual.averages] == [
                (a.stat, a.matches) for a in wanted.averages
            ]
            assert [a.value for a in actual.averages] == pytest.approx(
                [a.value for a in wanted.averages]
            )
        for guild_id in GUILDS:
            args: dict[str, Any] = {"since": since, "mode": None, "min_matches": 1, "limit": 5}
            rows = await analytics.leaderboard(guild_id, Stat.KD, **args)
            wanted_rows = await expected.leaderboard(guild_id, Stat.KD, **args)
            assert [(r.user_id, r.matches) for r in rows] == [
                (r.user_id, r.matches) for r in wanted_rows
            ]
            assert [r.value for r in rows] == pytest.approx([r.value for r in wanted_rows])


@given(steps=STEPS)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_rollups_equal_a_rebuild_after_any_writes(
    database: Database, query_recorder: QueryRecorder, steps: list[tuple[Any, ...]]
) -> None:
    await _clear(query_recorder)
    await apply(steps)
    await assert_reads_match_python()
    kept = await stored_entries()

    await rebuild()

    rebuilt = await stored_entries()
    assert kept.keys() == rebuilt.keys()
    for where, entry in kept.items():
        again = rebuilt[where]
        floats = {k for k, v in entry.items() if isinstance(v, float)}
        assert {k: entry[k] for k in floats} == pytest.approx({k: again[k] for k in floats})
        assert {k: v for k, v in entry.items() if k not in floats} == {
            k: v for k, v in again.items() if k not in floats
        }, where


async def test_a_write_cut_off_before_its_rollup_is_read_right_and_repaired(
    database: Database,
) -> None:
    repository = BeanieMatchRepository()
    first = await repository.add(fields(guild_id=501, user_id=11, played_at=T0, kills=10))
    # A process dies after marking and writing a second match, before its refresh.
    second = fields(guild_id=501, user_id=11, played_at=T0, kills=30)
    key = RollupKey.of_match(second)
    token = await rollups.mark([key])
    await MatchDocument.model_validate(second.model_dump()).insert()

    await assert_reads_match_python()  # the pending key is computed from its matches
    await repository.delete(first.id)  # the dead write's token is not old enough to go
    await assert_reads_match_python()
    # Ten minutes on, the token is known to be abandoned: the key's next write removes it.
    long_ago = T0  # a month before this test runs
    await GuildDayDocument.get_pymongo_collection().update_many(
        {"guild_id": 501}, {"$set": {f"pending.11:hardpoint.{token}": long_ago}}
    )
    await PlayerDayDocument.get_pymongo_collection().update_many(
        {"user_id": 11}, {"$set": {f"pending.501:hardpoint.{token}": long_ago}}
    )

    await repository.add(fields(guild_id=501, user_id=11, played_at=T0, kills=5))

    await assert_reads_match_python()
    assert [e["kills"] for e in (await stored_entries()).values()] == [35, 35]


async def test_a_match_left_to_settle_is_read_right_before_and_after(database: Database) -> None:
    repository = BeanieMatchRepository()
    await repository.add(fields(guild_id=501, user_id=11, played_at=T0, kills=10))
    later = await repository.add(
        fields(guild_id=501, user_id=11, played_at=T0, kills=30), settle=False
    )
    # Its key is pending, so the reads compute it from the matches: both matches already.
    pending = await GuildDayDocument.get_pymongo_collection().find_one({"guild_id": 501})
    assert pending is not None and any(pending["pending"]["11:hardpoint"].values())
    await assert_reads_match_python()

    await repository.settle(later.id)
    await repository.settle(later.id)  # settled once: nothing left the second time

    await assert_reads_match_python()
    assert [e["kills"] for e in (await stored_entries()).values()] == [40, 40]


async def test_concurrent_writes_to_one_key_leave_it_exact(database: Database) -> None:
    repository = BeanieMatchRepository()
    await asyncio.gather(
        *(
            repository.add(fields(guild_id=502, user_id=12, played_at=T0, kills=k))
            for k in range(1, 13)
        )
    )

    entries = await stored_entries()
    assert [(e["matches"], e["kills"]) for e in entries.values()] == [(12, 78), (12, 78)]
    await assert_reads_match_python()


async def _clear(recorder: QueryRecorder) -> None:
    """A fresh start for an example; the queries of the last one are the ones explained."""
    recorder.commands.clear()
    recorder.enabled = False
    try:
        for document in (MatchDocument, GuildDayDocument, PlayerDayDocument):
            await document.get_pymongo_collection().delete_many({})
    finally:
        recorder.enabled = True
