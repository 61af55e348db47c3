"""Cooldowns and weekly digest claims against MongoDB, including callers racing each other."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.core.clock import utc_now
from app.core.digest_claims import DigestClaim
from app.shared.db.connection import Database
from app.shared.db.documents import CooldownDocument, CooldownIndex
from app.shared.db.repositories.cooldowns import BeanieCooldownRepository
from app.shared.db.repositories.digests import BeanieDigestRunRepository

# Tests start from the real time, not a fixed date: the TTL monitor deletes documents whose
# expiry has passed on the server's clock, and must not delete a cooldown a test counts on.
COOLDOWN = timedelta(seconds=30)
RACERS = 20


@pytest.fixture
def cooldowns() -> BeanieCooldownRepository:
    return BeanieCooldownRepository()


@pytest.fixture
def digests() -> BeanieDigestRunRepository:
    return BeanieDigestRunRepository()


async def test_a_running_cooldown_tells_the_time_left(cooldowns: BeanieCooldownRepository) -> None:
    now = utc_now()

    assert await cooldowns.start("debrief:1:2", now, COOLDOWN) is None
    assert await cooldowns.start("debrief:1:2", now + timedelta(seconds=10), COOLDOWN) == (
        timedelta(seconds=20)
    )
    assert await cooldowns.start("debrief:1:3", now, COOLDOWN) is None
    assert await cooldowns.start("ask:1:2", now, COOLDOWN) is None


async def test_a_cooldown_can_start_again_once_over(cooldowns: BeanieCooldownRepository) -> None:
    now = utc_now()
    await cooldowns.start("debrief:1:2", now, COOLDOWN)

    assert await cooldowns.start("debrief:1:2", now + COOLDOWN, COOLDOWN) is None
    assert await cooldowns.start("debrief:1:2", now + COOLDOWN * 1.5, COOLDOWN) == COOLDOWN / 2


async def test_a_cooldown_given_back_lets_the_player_go_again(
    cooldowns: BeanieCooldownRepository,
) -> None:
    now = utc_now()
    await cooldowns.start("debrief:1:2", now, COOLDOWN)

    await cooldowns.give_back("debrief:1:2", now, COOLDOWN)

    assert await cooldowns.start("debrief:1:2", now + timedelta(seconds=1), COOLDOWN) is None


async def test_only_the_cooldown_that_was_started_is_given_back(
    cooldowns: BeanieCooldownRepository,
) -> None:
    now = utc_now()
    await cooldowns.start("debrief:1:2", now, COOLDOWN)

    # A caller whose own cooldown ran out and was replaced gives back nothing of the new one.
    await cooldowns.give_back("debrief:1:2", now - COOLDOWN, COOLDOWN)

    assert await cooldowns.start("debrief:1:2", now + timedelta(seconds=10), COOLDOWN) == (
        timedelta(seconds=20)
    )


async def test_exactly_one_of_many_racing_callers_starts_it(
    cooldowns: BeanieCooldownRepository,
) -> None:
    now = utc_now()

    results = await asyncio.gather(
        *(cooldowns.start("debrief:1:2", now, COOLDOWN) for _ in range(RACERS))
    )

    assert results.count(None) == 1
    assert [r for r in results if r is not None] == [COOLDOWN] * (RACERS - 1)


async def test_exactly_one_racing_caller_restarts_an_expired_cooldown(
    cooldowns: BeanieCooldownRepository,
) -> None:
    now = utc_now()
    await cooldowns.start("debrief:1:2", now - COOLDOWN * 2, COOLDOWN)

    results = await asyncio.gather(
        *(cooldowns.start("debrief:1:2", now, COOLDOWN) for _ in range(RACERS))
    )

    running = await CooldownDocument.find_one({"key": "debrief:1:2"})
    assert results.count(None) == 1
    assert running is not None
    assert running.expires_at == now + COOLDOWN


async def test_expired_cooldowns_are_left_to_the_ttl_monitor(database: Database) -> None:
    indexes = await CooldownDocument.get_pymongo_collection().index_information()

    assert indexes[CooldownIndex.EXPIRY]["expireAfterSeconds"] == 0
    assert indexes[CooldownIndex.KEY]["unique"] is True


async def test_a_week_is_claimed_once_per_server(digests: BeanieDigestRunRepository) -> None:
    now = utc_now()

    assert await digests.claim(1, "2026-W47", now) is True
    assert await digests.claim(1, "2026-W47", now) is False
    assert await digests.claim(1, "2026-W48", now) is True
    assert await digests.claim(2, "2026-W47", now) is True


async def test_a_claimed_week_is_known_with_its_claimant_until_released(
    digests: BeanieDigestRunRepository,
) -> None:
    now = utc_now().replace(microsecond=0)  # BSON keeps milliseconds
    await digests.claim(1, "2026-W47", now, request_key="bot.post_digest:1:5:retry-1")
    await digests.claim(1, "2026-W48", now)

    assert await digests.claim_of(1, "2026-W47") == DigestClaim(
        claimed_at=now, request_key="bot.post_digest:1:5:retry-1"
    )
    assert await digests.claim_of(1, "2026-W48") == DigestClaim(claimed_at=now)
    assert await digests.claim_of(1, "2026-W49") is None
    assert await digests.claim_of(2, "2026-W47") is None
    await digests.release(1, "2026-W47")
    assert await digests.claim_of(1, "2026-W47") is None


async def test_a_released_week_can_be_claimed_again(digests: BeanieDigestRunRepository) -> None:
    now = utc_now()
    await digests.claim(1, "2026-W47", now)

    await digests.release(1, "2026-W47")
    await digests.release(1, "2026-W01")  # never claimed: nothing to do

    assert await digests.claim(1, "2026-W47", now) is True


async def test_exactly_one_racing_shard_claims_the_week(
    digests: BeanieDigestRunRepository,
) -> None:
    now = utc_now()

    results = await asyncio.gather(*(digests.claim(1, "2026-W47", now) for _ in range(RACERS)))

    assert results.count(True) == 1
