"""The per-replica cache of active sessions: one lookup per family per TTL, revocation first."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.api.auth.active_sessions import ActiveSessions
from tests.support.factories import refresh_token_fields
from tests.unit.fakes import FakeRefreshTokens, FrozenClock

TTL = timedelta(seconds=5)
REVOKED_TTL = timedelta(minutes=15)


class CountingTokens(FakeRefreshTokens):
    """Counts `is_family_active` lookups; `gate`, when set, holds them until opened."""

    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0
        self.gate: asyncio.Event | None = None

    async def is_family_active(self, family_id: str) -> bool:
        self.lookups += 1
        if self.gate is not None:
            await self.gate.wait()
        return await super().is_family_active(family_id)


class Seconds:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def repository() -> CountingTokens:
    return CountingTokens()


@pytest.fixture
def seconds() -> Seconds:
    return Seconds()


def sessions_over(
    repository: CountingTokens, seconds: Seconds, ttl: timedelta = TTL, max_entries: int = 100
) -> ActiveSessions:
    return ActiveSessions(
        repository, ttl=ttl, revoked_ttl=REVOKED_TTL, monotonic=seconds, max_entries=max_entries
    )


async def live(repository: CountingTokens, family_id: str) -> str:
    await repository.add(refresh_token_fields(family_id=family_id))
    return family_id


async def test_an_answer_is_reused_within_the_ttl_and_read_again_after(
    repository: CountingTokens, seconds: Seconds
) -> None:
    sessions = sessions_over(repository, seconds)
    family = await live(repository, "f1")

    assert await sessions.is_active(family)
    assert await sessions.is_active(family)
    assert repository.lookups == 1

    # Revoked by another replica: this one notices once its answer is older than the TTL.
    await repository.revoke_family(family, FrozenClock()())
    seconds.now += TTL.total_seconds() - 0.1
    assert await sessions.is_active(family)
    seconds.now += 0.2
    assert not await sessions.is_active(family)
    assert repository.lookups == 2


async def test_a_revocation_on_this_replica_counts_at_once(
    repository: CountingTokens, seconds: Seconds
) -> None:
    sessions = sessions_over(repository, seconds)
    family = await live(repository, "f1")
    assert await sessions.is_active(family)

    sessions.revoked(family)

    assert not await sessions.is_active(family)
    # Kept for the access-token lifetime, which no token of the family outlives.
    seconds.now += REVOKED_TTL.total_seconds() - 1
    assert not await sessions.is_active(family)
    assert repository.lookups == 1


async def test_concurrent_requests_of_one_family_share_one_lookup(
    repository: CountingTokens, seconds: Seconds
) -> None:
    sessions = sessions_over(repository, seconds)
    family = await live(repository, "f1")
    repository.gate = asyncio.Event()

    waiting = [asyncio.create_task(sessions.is_active(family)) for _ in range(20)]
    await asyncio.sleep(0)
    repository.gate.set()

    assert await asyncio.gather(*waiting) == [True] * 20
    assert repository.lookups == 1


async def test_a_revocation_during_a_lookup_wins_over_what_it_read(
    repository: CountingTokens, seconds: Seconds
) -> None:
    sessions = sessions_over(repository, seconds)
    family = await live(repository, "f1")
    repository.gate = asyncio.Event()
    checking = asyncio.create_task(sessions.is_active(family))
    await asyncio.sleep(0)

    sessions.revoked(family)
    repository.gate.set()

    assert not await checking
    assert not await sessions.is_active(family)


async def test_a_caller_that_gives_up_does_not_cancel_the_shared_lookup(
    repository: CountingTokens, seconds: Seconds
) -> None:
    sessions = sessions_over(repository, seconds)
    family = await live(repository, "f1")
    repository.gate = asyncio.Event()
    impatient = asyncio.create_task(sessions.is_active(family))
    patient = asyncio.create_task(sessions.is_active(family))
    await asyncio.sleep(0)

    impatient.cancel()
    repository.gate.set()

    assert await patient
    assert repository.lookups == 1


async def test_an_unknown_or_revoked_family_is_not_active(
    repository: CountingTokens, seconds: Seconds
) -> None:
    sessions = sessions_over(repository, seconds)
    family = await live(repository, "f1")
    await repository.revoke_family(family, FrozenClock()())

    assert not await sessions.is_active("never-issued")
    assert not await sessions.is_active(family)


async def test_a_zero_ttl_reads_every_time(repository: CountingTokens, seconds: Seconds) -> None:
    sessions = sessions_over(repository, seconds, ttl=timedelta(0))
    family = await live(repository, "f1")

    for _ in range(3):
        assert await sessions.is_active(family)

    assert repository.lookups == 3


async def test_the_cache_keeps_at_most_max_entries_dropping_the_oldest(
    repository: CountingTokens, seconds: Seconds
) -> None:
    sessions = sessions_over(repository, seconds, max_entries=2)
    families = [await live(repository, f"f{i}") for i in range(3)]

    for family in families:
        assert await sessions.is_active(family)
    assert await sessions.is_active(families[2])  # still cached
    assert repository.lookups == 3
    assert await sessions.is_active(families[0])  # dropped, read again

    assert repository.lookups == 4
