"""Opaque refresh tokens that rotate on every use, stored only as SHA-256 hashes.

Each login starts a family; every refresh spends the presented token and issues the next one
in the same family. A token presented a second time means two parties hold it (the user and a
thief, in some order): the whole family is revoked, which ends the session for both. Whoever
else must know (the access-token check) hears of every revocation through `on_revoked`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.core.accounts import RefreshToken, RefreshTokenFields
from app.core.clock import Clock
from app.core.ports import RefreshTokenRepository

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32


class RefreshRefused(Exception):
    """The refresh token is unknown, expired, revoked, or was already used."""


@dataclass(frozen=True, slots=True)
class IssuedRefreshToken:
    token: str = field(repr=False)
    family_id: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Rotation:
    user_id: int
    issued: IssuedRefreshToken


def hash_token(token: str) -> str:
    # The token has 256 random bits, so a plain hash needs no salt or stretching: nobody can
    # guess it, and the hash alone cannot be presented.
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshTokens:
    def __init__(
        self,
        repository: RefreshTokenRepository,
        clock: Clock,
        lifetime: timedelta,
        *,
        on_revoked: Callable[[str], None],
    ) -> None:
        self._repository = repository
        self._clock = clock
        self.lifetime = lifetime
        self._on_revoked = on_revoked

    async def start_family(self, user_id: int) -> IssuedRefreshToken:
        """The first refresh token of a new login."""
        return await self._issue(user_id, uuid.uuid4().hex, self._clock())

    async def rotate(self, presented: str) -> Rotation:
        """Spend `presented` and issue its successor in the same family."""
        stored = await self._usable(presented)
        now = self._clock()
        if not await self._repository.mark_used(stored.id, now):
            await self.revoke_family(stored.family_id)
            logger.warning("refresh token reuse; family revoked (family %s)", stored.family_id)
            raise RefreshRefused("reused")
        issued = await self._issue(stored.user_id, stored.family_id, now)
        await self._ensure_family_intact(stored)
        return Rotation(stored.user_id, issued)

    async def revoke(self, presented: str, *, user_id: int) -> bool:
        """End the session `presented` belongs to, if it is one of `user_id`'s."""
        stored = await self._repository.find_by_hash(hash_token(presented))
        if stored is None or stored.user_id != user_id:
            return False
        await self.revoke_family(stored.family_id)
        return True

    async def revoke_family(self, family_id: str) -> None:
        """End a session: every refresh token of the family, and (through `on_revoked`) its
        access tokens."""
        await self._repository.revoke_family(family_id, self._clock())
        self._on_revoked(family_id)

    async def _usable(self, presented: str) -> RefreshToken:
        stored = await self._repository.find_by_hash(hash_token(presented))
        if stored is None:
            raise RefreshRefused("unknown")
        if stored.revoked_at is not None:
            raise RefreshRefused("revoked")
        if stored.expires_at <= self._clock():
            raise RefreshRefused("expired")
        return stored

    async def _ensure_family_intact(self, spent: RefreshToken) -> None:
        # A concurrent reuse may have revoked the family between our mark_used and the insert
        # of the successor, which that revocation then missed. The successor is in place now,
        # so any later revocation covers it; an earlier one shows on the spent token.
        current = await self._repository.find_by_hash(spent.token_hash)
        if current is None or current.revoked_at is not None:
            await self.revoke_family(spent.family_id)
            raise RefreshRefused("revoked while rotating")

    async def _issue(self, user_id: int, family_id: str, now: datetime) -> IssuedRefreshToken:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        expires_at = now + self.lifetime
        await self._repository.add(
            RefreshTokenFields(
                token_hash=hash_token(token),
                family_id=family_id,
                user_id=user_id,
                issued_at=now,
                expires_at=expires_at,
            )
        )
        return IssuedRefreshToken(token, family_id, expires_at)
