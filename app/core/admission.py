"""How many debriefs run at once, and the line the others wait in, acknowledged.

A burst of /debrief (a squad's whole evening posted at once, or a thousand users) used to start
every debrief at the same moment: a thousand images to prepare and two thousand AI calls, all
racing, each call's timeout running while it waited behind the others, so users were told
"AI unavailable" although the AI answered every call. Now at most `capacity` debriefs are in
progress; the others wait in line, first come first served:

- a waiter is told how many wait ahead of it when it joins the line, then at most every
  `refresh_every_s` while that number changes, and once when its turn comes. The notices are a
  courtesy: one that fails is logged and the waiter keeps its place;
- its work, and so every AI call and its timeout, starts only once it has a place;
- a place is given back however the work ends (done, failed, cancelled), straight to the next
  waiter in line;
- a waiter that gave up (cancelled) leaves the line; one cancelled at the very moment it was
  given a place passes the place on;
- nobody waits longer than `max_wait_s`: past it, `WaitedTooLong`, a message the user can act on.

`in_turn` is how a command runs in its turn: the reply it owes was put on record before it
joined the line, under a lease; a reply that waited is leased again for its work, so the outbox
consumer never takes over a reply whose work is still to come.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Final, Protocol, TypeVar

from app.core.bus import MessageBus
from app.core.commands import RenewMatchReply
from app.core.errors import DomainError
from app.core.i18n import N_
from app.core.replies import OwedReply

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Often enough to see the line move, rarely enough that a thousand waiters cost little:
# each notice is one edit of a message in Discord.
REFRESH_EVERY_S: Final = 30.0


class WaitedTooLong(DomainError):
    user_message = N_(
        "Debrief is busier than it can handle right now, so your screenshots weren't read. "
        "Please try again in a few minutes."
    )


class WaitNotices(Protocol):
    """What the waiter is told; implemented by the adapter that can reach the user."""

    async def queued(self, ahead: int) -> None:
        """It waits in line, with `ahead` waiters before it."""

    async def started(self) -> None:
        """Its turn came after it was told it was queued: the work starts now."""


@dataclass(frozen=True, slots=True)
class Place:
    """A place among the debriefs in progress; `waited` when it was not free at once."""

    waited: bool


class Admission:
    def __init__(
        self,
        capacity: int,
        *,
        refresh_every_s: float = REFRESH_EVERY_S,
        max_wait_s: float | None = None,
    ) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._refresh_every_s = refresh_every_s
        self._max_wait_s = max_wait_s
        self._free = capacity
        # Futures of the waiters, first in line first; set when given a place.
        self._line: deque[asyncio.Future[None]] = deque()

    @property
    def in_progress(self) -> int:
        return self.capacity - self._free

    @property
    def waiting(self) -> int:
        return len(self._line)

    @asynccontextmanager
    async def place(self, notices: WaitNotices | None = None) -> AsyncIterator[Place]:
        """Hold a place for the block; wait in line for one if none is free."""
        waited = await self._take(notices)
        try:
            yield Place(waited=waited)
        finally:
            self._give_back()

    async def _take(self, notices: WaitNotices | None) -> bool:
        if self._free > 0 and not self._line:
            self._free -= 1
            return False
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._line.append(turn)
        try:
            await self._wait(turn, notices)
            if notices is not None:
                await _tell(notices.started())
        except BaseException:
            self._leave(turn)
            raise
        return True

    async def _wait(self, turn: asyncio.Future[None], notices: WaitNotices | None) -> None:
        loop = asyncio.get_running_loop()
        deadline = None if self._max_wait_s is None else loop.time() + self._max_wait_s
        told: int | None = None
        while not turn.done():
            ahead = self._line.index(turn)
            if notices is not None and ahead != told:
                told = ahead
                await _tell(notices.queued(ahead))
            timeout = self._refresh_every_s
            if deadline is not None:
                left = deadline - loop.time()
                if left <= 0:
                    raise WaitedTooLong
                timeout = min(timeout, left)
            # `wait` (unlike `wait_for`) leaves the turn alone when the timeout passes.
            await asyncio.wait((turn,), timeout=timeout)

    def _leave(self, turn: asyncio.Future[None]) -> None:
        """A waiter gave up: out of the line, or, if its place just came, pass it on."""
        if turn.done():
            self._give_back()
        else:
            self._line.remove(turn)
            turn.cancel()

    def _give_back(self) -> None:
        """The place goes straight to the first in line, so nobody can jump the line."""
        if self._line:
            self._line.popleft().set_result(None)
        else:
            self._free += 1


async def _tell(notice: Awaitable[None]) -> None:
    try:
        await notice
    except Exception:  # a notice is a courtesy: the waiter keeps its place
        logger.warning("could not tell a waiter where it stands", exc_info=True)


async def in_turn(
    admission: Admission,
    bus: MessageBus,
    owed: OwedReply,
    notices: WaitNotices | None,
    work: Callable[[], Awaitable[T]],
) -> T:
    """Run `work` (a debrief owing `owed`) once it has a place among those in progress."""
    async with admission.place(notices) as place:
        if place.waited:
            # Leased when it joined the line; its work may take as long as one that never
            # waited, so the lease starts again now.
            await bus.handle(RenewMatchReply(reply=owed))
        return await work()
