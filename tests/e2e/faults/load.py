"""A small load generator with client-side round robin over API replicas.

Like a load balancer with passive health checks: each request goes to the next replica in
turn; one that cannot be reached (refused, reset, closed mid-request) is recorded and the
request is tried on the next replica. Every attempt is kept for the test to judge.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=10)


@dataclass(frozen=True)
class Attempt:
    replica: int
    started: float
    # The HTTP status, or None when the replica could not be reached.
    status: int | None


@dataclass
class RoundRobinLoad:
    replica_urls: Sequence[str]
    path: str
    headers: dict[str, str]
    attempts: list[Attempt] = field(default_factory=list)
    # The final status of each request (None: no replica answered it).
    outcomes: list[int | None] = field(default_factory=list)
    _turns: itertools.count[int] = field(default_factory=itertools.count)
    _progress: asyncio.Event = field(default_factory=asyncio.Event)

    def answered_by(self, replica: int, *, since: float = 0.0) -> int:
        return sum(
            1
            for a in self.attempts
            if a.replica == replica and a.status is not None and a.started >= since
        )

    @asynccontextmanager
    async def running(self, concurrency: int) -> AsyncIterator[RoundRobinLoad]:
        stop = asyncio.Event()
        async with aiohttp.ClientSession(headers=self.headers, timeout=REQUEST_TIMEOUT) as http:
            workers = [asyncio.create_task(self._work(http, stop)) for _ in range(concurrency)]
            try:
                yield self
            finally:
                stop.set()
                await asyncio.gather(*workers)

    async def until(self, condition: Callable[[], bool], *, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Wait until `condition()` holds, looking again after every attempt."""
        async with asyncio.timeout(timeout):
            while not condition():
                self._progress.clear()
                await self._progress.wait()

    async def _work(self, http: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.outcomes.append(await self._request(http))

    async def _request(self, http: aiohttp.ClientSession) -> int | None:
        first = next(self._turns)
        for offset in range(len(self.replica_urls)):
            replica = (first + offset) % len(self.replica_urls)
            started = asyncio.get_running_loop().time()
            try:
                async with http.get(self.replica_urls[replica] + self.path) as response:
                    await response.read()
            except aiohttp.ClientConnectionError:
                self._record(Attempt(replica, started, None))
                continue
            self._record(Attempt(replica, started, response.status))
            return response.status
        return None

    def _record(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        self._progress.set()
