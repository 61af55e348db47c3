"""The user an access token names, kept in process for a few seconds.

Every authenticated request needs the user's record (their servers, from the last Discord
login) to build its principal. Like the session check (`active_sessions.py`), the record is
kept for SESSION_CHECK_TTL_S, so a replica reads it at most once per user per TTL instead of
once per request. The bound that buys: a new server snapshot (a login, a refresh) counts at
once on the replica that saved it, and within SESSION_CHECK_TTL_S on the others. Only found
users are kept: an unknown one is looked up again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from app.core.accounts import User
from app.core.ports import UserRepository

# Enough for every user active on a replica within a few seconds; past it the oldest go
# first, which only costs another lookup.
MAX_ENTRIES = 20_000


class RecentUsers:
    def __init__(
        self,
        repository: UserRepository,
        *,
        ttl: timedelta,
        monotonic: Callable[[], float] = time.monotonic,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self._repository = repository
        self._ttl = ttl.total_seconds()
        self._monotonic = monotonic
        self._max_entries = max_entries
        self._users: dict[int, tuple[User, float]] = {}

    async def get(self, discord_id: int) -> User | None:
        kept = self._users.get(discord_id)
        if kept is not None and kept[1] > self._monotonic():
            return kept[0]
        user = await self._repository.get_by_discord_id(discord_id)
        self._users.pop(discord_id, None)
        if user is not None and self._ttl > 0:
            self._users[discord_id] = (user, self._monotonic() + self._ttl)  # newest last
            while len(self._users) > self._max_entries:
                del self._users[next(iter(self._users))]
        return user

    def forget(self, discord_id: int) -> None:
        """This replica just saved the user's record: the next request reads it again."""
        self._users.pop(discord_id, None)
