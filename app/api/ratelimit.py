"""Rate limits that hold across API replicas: the counts live in the app's MongoDB.

The `limits` library keeps them, with a moving window (no burst at a window's edge). Its
asynchronous MongoDB storage needs Motor, which MongoDB has deprecated and this project does
not use; its synchronous storage uses PyMongo, so each hit runs in a worker thread, off the
event loop. A hit is one small update by `_id`, so the thread is busy for a round trip (about
1 ms on the embedded database, whether the window holds 10 entries or 300).

Reads are limited per user too (`READ_RATE_LIMIT`): every authenticated GET under /api/v1
declares `ReadRateLimit`, so one user's burst of listings is refused with 429 before it
reaches the database, while other users' requests are served. The same dependency holds one
of the user's few reads in flight (`READ_MAX_IN_FLIGHT`, `app/api/reads_in_flight.py`).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import cast

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.storage import MongoDBStorage
from limits.strategies import MovingWindowRateLimiter

from app.api.auth.dependencies import CurrentPrincipal
from app.api.forwarded import TrustedProxies
from app.api.reads_in_flight import ReadsInFlight
from app.core.errors import CooldownActive
from app.shared.runtime import database_uri
from app.shared.settings import Settings

COUNTERS_COLLECTION = "rate_limit_counters"
WINDOWS_COLLECTION = "rate_limit_windows"
# A rate limit must not hang a request for PyMongo's default 30 s when the database is away.
_SERVER_SELECTION_TIMEOUT_MS = 5_000


@dataclass(frozen=True, slots=True)
class Rules:
    ask: RateLimitItem
    login: RateLimitItem
    read: RateLimitItem
    export: RateLimitItem

    @classmethod
    def of(cls, settings: Settings) -> Rules:
        return cls(
            ask=parse(settings.ask_rate_limit),
            login=parse(settings.login_rate_limit),
            read=parse(settings.read_rate_limit),
            export=parse(settings.export_rate_limit),
        )


class RateLimits:
    """The API's limits: /ask, reads and exports per user, login per client address."""

    def __init__(self, storage: MongoDBStorage, rules: Rules, proxies: TrustedProxies) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._rules = rules
        self.proxies = proxies

    async def ask(self, user_id: int) -> None:
        await self._hit(self._rules.ask, "ask", str(user_id))

    async def login(self, client: str) -> None:
        await self._hit(self._rules.login, "login", client)

    async def read(self, user_id: int) -> None:
        await self._hit(self._rules.read, "read", str(user_id))

    async def export(self, user_id: int) -> None:
        await self._hit(self._rules.export, "export", str(user_id))

    async def _hit(self, rule: RateLimitItem, *identifiers: str) -> None:
        """Count one request; raise CooldownActive (a 429) when the limit is used up."""
        if await asyncio.to_thread(self._limiter.hit, rule, *identifiers):
            return
        window = await asyncio.to_thread(self._limiter.get_window_stats, rule, *identifiers)
        raise CooldownActive(max(1, math.ceil(window.reset_time - time.time())))

    async def open(self) -> None:
        # Connects, and creates the TTL indexes that expire old windows.
        if not await asyncio.to_thread(self._storage.check):
            raise ConnectionError("the rate-limit storage (MongoDB) does not answer")

    def close(self) -> None:
        self._storage.storage.close()


@asynccontextmanager
async def open_rate_limits(settings: Settings) -> AsyncIterator[RateLimits]:
    storage = MongoDBStorage(
        database_uri(settings),
        database_name=settings.mongodb_database,
        counter_collection_name=COUNTERS_COLLECTION,
        window_collection_name=WINDOWS_COLLECTION,
        appname="debrief-api-rate-limits",
        serverSelectionTimeoutMS=_SERVER_SELECTION_TIMEOUT_MS,
    )
    limits = RateLimits(storage, Rules.of(settings), TrustedProxies(settings.trusted_proxies))
    try:
        await limits.open()
        yield limits
    finally:
        limits.close()


def get_rate_limits(request: Request) -> RateLimits:
    return cast(RateLimits, request.app.state.rate_limits)


async def limit_ask(principal: CurrentPrincipal, request: Request) -> None:
    """Counts an /ask request against the caller's limit."""
    await get_rate_limits(request).ask(principal.discord_id)


async def limit_reads(principal: CurrentPrincipal, request: Request) -> AsyncIterator[None]:
    """Holds one of the caller's reads in flight (refusing the excess at once, before any
    database work), and counts the read against the caller's rate limit."""
    async with read_slot(request, principal.discord_id):
        yield


@asynccontextmanager
async def read_slot(request: Request, user_id: int) -> AsyncIterator[None]:
    """One of the user's reads, held and counted (API GETs and dashboard pages alike)."""
    in_flight = cast(ReadsInFlight, request.app.state.reads_in_flight)
    with in_flight.slot(user_id):
        await get_rate_limits(request).read(user_id)
        yield


async def limit_login(request: Request) -> None:
    """Counts a login attempt against the client address's limit.

    The address is the one that connected, unless that is one of TRUSTED_PROXIES: then the
    client it forwards for. Behind a proxy that is not listed, every user shares the proxy's.
    """
    limits = get_rate_limits(request)
    await limits.login(limits.proxies.client_of_request(request))


# For `dependencies=[...]` of a route.
AskRateLimit = Depends(limit_ask)
LoginRateLimit = Depends(limit_login)
ReadRateLimit = Depends(limit_reads)
