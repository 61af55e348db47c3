"""Whether the session an access token belongs to is still active, cached for a few seconds.

An access JWT names its session (`sid`, the refresh-token family). Logout and reuse detection
revoke the family in MongoDB; every authenticated request then asks whether its family is
still active. The answer is kept in process for SESSION_CHECK_TTL_S, and concurrent requests
of one family share one lookup, so each replica reads MongoDB (one indexed `find_one`) at
most once per family per TTL. The bound that buys:

- on the replica that revokes, the family's access tokens stop at once (`revoked`);
- on every other replica, within SESSION_CHECK_TTL_S.

A revoked family never comes back, so that answer is kept for the access-token lifetime,
after which every token of the family has expired anyway.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from app.core.ports import RefreshTokenRepository

# Enough for every session active on a replica within a few seconds; past it the oldest
# answers go first, which only costs another lookup.
MAX_ENTRIES = 20_000


@dataclass(frozen=True, slots=True)
class _Answer:
    active: bool
    until: float


class ActiveSessions:
    def __init__(
        self,
        repository: RefreshTokenRepository,
        *,
        ttl: timedelta,
        revoked_ttl: timedelta,
        monotonic: Callable[[], float] = time.monotonic,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self._repository = repository
        self._ttl = ttl.total_seconds()
        self._revoked_ttl = revoked_ttl.total_seconds()
        self._monotonic = monotonic
        self._max_entries = max_entries
        self._answers: dict[str, _Answer] = {}
        self._lookups: dict[str, asyncio.Future[bool]] = {}

    async def is_active(self, session_id: str) -> bool:
        known = self._known(session_id)
        if known is not None:
            return known
        lookup = self._lookups.get(session_id)
        if lookup is None:
            lookup = asyncio.ensure_future(self._look_up(session_id))
            self._lookups[session_id] = lookup
            lookup.add_done_callback(lambda done: self._lookup_done(session_id, done))
        # Shielded: a caller that gives up does not cancel the lookup the others wait for.
        return await asyncio.shield(lookup)

    def revoked(self, session_id: str) -> None:
        """This replica just revoked the family: its access tokens stop working now."""
        self._remember(session_id, active=False)

    def _known(self, session_id: str) -> bool | None:
        answer = self._answers.get(session_id)
        if answer is None:
            return None
        if answer.until <= self._monotonic():
            del self._answers[session_id]
            return None
        return answer.active

    async def _look_up(self, session_id: str) -> bool:
        active = await self._repository.is_family_active(session_id)
        # A revocation noted while the lookup ran wins over what the lookup read before it.
        if self._known(session_id) is False:
            return False
        self._remember(session_id, active=active)
        return active

    def _lookup_done(self, session_id: str, lookup: asyncio.Future[bool]) -> None:
        self._lookups.pop(session_id, None)
        if not lookup.cancelled():
            lookup.exception()  # retrieved, so an outage is not reported again by asyncio

    def _remember(self, session_id: str, *, active: bool) -> None:
        ttl = self._ttl if active else self._revoked_ttl
        if ttl <= 0:
            self._answers.pop(session_id, None)
            return
        self._answers.pop(session_id, None)  # re-inserted last: the dict stays oldest first
        self._answers[session_id] = _Answer(active, self._monotonic() + ttl)
        while len(self._answers) > self._max_entries:
            del self._answers[next(iter(self._answers))]
