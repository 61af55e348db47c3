"""How many of one user's reads this process works on at once.

A rate limit counts requests over a minute; it does not stop a user from sending all of them
at the same moment, and a burst that the limit still allows (120 listings at once) fills the
database's queue for everyone. So each user also gets a few reads in flight per process; the
excess is refused at once (429, retry in a second), before it costs a database round trip.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from app.core.errors import CooldownActive
from app.core.i18n import _

RETRY_AFTER_S = 1


class TooManyReadsInFlight(CooldownActive):
    def __init__(self) -> None:
        super().__init__(RETRY_AFTER_S)
        self.user_message = _("Too many of your requests are running at once; slow down a little.")


class ReadsInFlight:
    def __init__(self, per_user: int) -> None:
        self._per_user = per_user
        self._running: Counter[int] = Counter()

    def running(self, user_id: int) -> int:
        return self._running[user_id]

    @contextmanager
    def slot(self, user_id: int) -> Iterator[None]:
        # No await between the check and the increment: one event loop, so no lock is needed.
        if self._running[user_id] >= self._per_user:
            raise TooManyReadsInFlight
        self._running[user_id] += 1
        try:
            yield
        finally:
            self._running[user_id] -= 1
            if not self._running[user_id]:
                del self._running[user_id]  # the table holds only users with reads running
