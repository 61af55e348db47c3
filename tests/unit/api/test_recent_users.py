"""The per-replica cache of users behind access tokens: one lookup per user per TTL."""

from __future__ import annotations

from datetime import timedelta

from app.api.auth.recent_users import RecentUsers
from app.core.accounts import User
from tests.support.factories import user_fields
from tests.unit.fakes import FakeUsers

TTL = timedelta(seconds=5)


class CountingUsers(FakeUsers):
    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0

    async def get_by_discord_id(self, discord_id: int) -> User | None:
        self.lookups += 1
        return await super().get_by_discord_id(discord_id)


class Seconds:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_user_is_read_once_per_ttl_then_again() -> None:
    users, seconds = CountingUsers(), Seconds()
    await users.upsert(user_fields(7))
    recent = RecentUsers(users, ttl=TTL, monotonic=seconds)

    assert [(await recent.get(7)) for _ in range(3)] == [users.rows[7]] * 3
    assert users.lookups == 1
    seconds.now += TTL.total_seconds()
    await recent.get(7)
    assert users.lookups == 2


async def test_a_user_saved_on_this_replica_is_read_again_at_once() -> None:
    users = CountingUsers()
    await users.upsert(user_fields(7, username="before"))
    recent = RecentUsers(users, ttl=TTL, monotonic=Seconds())
    await recent.get(7)

    await users.upsert(user_fields(7, username="after"))
    recent.forget(7)

    found = await recent.get(7)
    assert found is not None and found.username == "after"


async def test_an_unknown_user_is_not_kept_and_the_oldest_go_first() -> None:
    users = CountingUsers()
    for discord_id in (1, 2, 3):
        await users.upsert(user_fields(discord_id))
    recent = RecentUsers(users, ttl=TTL, monotonic=Seconds(), max_entries=2)

    assert await recent.get(99) is None
    assert await recent.get(99) is None
    for discord_id in (1, 2, 3, 3, 2):
        await recent.get(discord_id)
    await recent.get(1)

    assert users.lookups == 2 + 3 + 1  # unknown twice; 1, 2, 3 once; 1 again (evicted)


async def test_a_ttl_of_zero_keeps_nothing() -> None:
    users = CountingUsers()
    await users.upsert(user_fields(7))
    recent = RecentUsers(users, ttl=timedelta(0), monotonic=Seconds())

    await recent.get(7)
    await recent.get(7)
    assert users.lookups == 2
