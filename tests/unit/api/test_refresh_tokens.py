"""Refresh-token rotation and reuse detection, against the in-memory repository."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from app.api.auth.refresh_tokens import RefreshRefused, RefreshTokens, hash_token
from app.core.accounts import RefreshToken, RefreshTokenFields
from tests.unit.fakes import FakeRefreshTokens, FrozenClock

USER = 42
LIFETIME = timedelta(days=30)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def repository() -> FakeRefreshTokens:
    return FakeRefreshTokens()


@pytest.fixture
def revoked() -> list[str]:
    """The families RefreshTokens reported as revoked, in order."""
    return []


@pytest.fixture
def tokens(repository: FakeRefreshTokens, clock: FrozenClock, revoked: list[str]) -> RefreshTokens:
    return RefreshTokens(repository, clock, LIFETIME, on_revoked=revoked.append)


async def test_only_the_hash_of_a_new_token_is_stored(
    tokens: RefreshTokens, repository: FakeRefreshTokens, clock: FrozenClock
) -> None:
    issued = await tokens.start_family(USER)

    (stored,) = repository.rows.values()
    assert stored.token_hash == hash_token(issued.token) != issued.token
    assert stored.user_id == USER
    assert stored.expires_at == clock.now + LIFETIME == issued.expires_at
    assert issued.token not in repr(issued)


async def test_rotation_spends_the_token_and_issues_the_next_in_the_same_family(
    tokens: RefreshTokens, repository: FakeRefreshTokens
) -> None:
    first = await tokens.start_family(USER)

    rotation = await tokens.rotate(first.token)

    assert rotation.user_id == USER
    assert rotation.issued.family_id == first.family_id
    assert rotation.issued.token != first.token
    spent = await repository.find_by_hash(hash_token(first.token))
    assert spent is not None and spent.used_at is not None


async def test_a_reused_token_revokes_the_family_and_names_it_in_one_log_line(
    tokens: RefreshTokens, caplog: pytest.LogCaptureFixture, revoked: list[str]
) -> None:
    first = await tokens.start_family(USER)
    newest = (await tokens.rotate(first.token)).issued

    with caplog.at_level(logging.WARNING), pytest.raises(RefreshRefused):
        await tokens.rotate(first.token)

    with pytest.raises(RefreshRefused):
        await tokens.rotate(newest.token)
    assert [r.getMessage() for r in caplog.records] == [
        f"refresh token reuse; family revoked (family {first.family_id})"
    ]
    assert revoked == [first.family_id]  # so its access tokens end too
    assert first.token not in caplog.text and newest.token not in caplog.text


async def test_other_families_survive_a_reuse(tokens: RefreshTokens) -> None:
    other_device = await tokens.start_family(USER)
    first = await tokens.start_family(USER)
    await tokens.rotate(first.token)

    with pytest.raises(RefreshRefused):
        await tokens.rotate(first.token)

    assert (await tokens.rotate(other_device.token)).user_id == USER


async def test_an_expired_token_is_refused(tokens: RefreshTokens, clock: FrozenClock) -> None:
    issued = await tokens.start_family(USER)
    clock.now += LIFETIME

    with pytest.raises(RefreshRefused):
        await tokens.rotate(issued.token)


async def test_an_unknown_token_is_refused(tokens: RefreshTokens) -> None:
    with pytest.raises(RefreshRefused):
        await tokens.rotate("never-issued")


async def test_a_revoked_token_is_refused_without_crying_reuse(
    tokens: RefreshTokens, caplog: pytest.LogCaptureFixture, revoked: list[str]
) -> None:
    issued = await tokens.start_family(USER)
    assert await tokens.revoke(issued.token, user_id=USER)
    assert revoked == [issued.family_id]

    with caplog.at_level(logging.WARNING), pytest.raises(RefreshRefused):
        await tokens.rotate(issued.token)

    assert not caplog.records


async def test_nobody_revokes_another_users_session(
    tokens: RefreshTokens, revoked: list[str]
) -> None:
    issued = await tokens.start_family(USER)

    assert not await tokens.revoke(issued.token, user_id=USER + 1)
    assert revoked == []
    assert (await tokens.rotate(issued.token)).user_id == USER


class RevokedWhileIssuing(FakeRefreshTokens):
    """A concurrent reuse revokes the family after our mark_used, before our insert."""

    def __init__(self, clock: FrozenClock) -> None:
        super().__init__()
        self.clock = clock
        self.race = False

    async def add(self, token: RefreshTokenFields) -> RefreshToken:
        if self.race:
            await self.revoke_family(token.family_id, self.clock())
        return await super().add(token)


async def test_a_successor_issued_during_a_revocation_dies_with_its_family(
    clock: FrozenClock,
) -> None:
    repository = RevokedWhileIssuing(clock)
    revoked: list[str] = []
    tokens = RefreshTokens(repository, clock, LIFETIME, on_revoked=revoked.append)
    first = await tokens.start_family(USER)
    repository.race = True

    with pytest.raises(RefreshRefused):
        await tokens.rotate(first.token)

    assert all(row.revoked_at is not None for row in repository.rows.values())
    assert revoked == [first.family_id]


async def test_revoking_a_family_by_id_ends_it_and_reports_it(
    tokens: RefreshTokens, repository: FakeRefreshTokens, revoked: list[str]
) -> None:
    other_device = await tokens.start_family(USER)
    issued = await tokens.start_family(USER)

    await tokens.revoke_family(issued.family_id)

    assert not await repository.is_family_active(issued.family_id)
    assert await repository.is_family_active(other_device.family_id)
    assert revoked == [issued.family_id]
    with pytest.raises(RefreshRefused):
        await tokens.rotate(issued.token)
