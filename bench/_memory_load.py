"""Logging in to the API as a browser would, and a small concurrent load of authenticated GETs.

Independent of `bench.api`'s load generator on purpose: this one only has to keep the API
busy while its memory is sampled.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp
from yarl import URL

ACCESS_COOKIE = "debrief_access"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class LoginError(RuntimeError):
    """The login round trip did not end with an access token."""


async def log_in(api_url: str) -> str:
    """Login with Discord through the API and the emulator; returns the access token (JWT).

    The emulator approves as the user the sandbox set up for OAuth (its player).
    """
    # Cookies for an IP address (127.0.0.1) are only kept by an "unsafe" jar.
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
        url = f"{api_url}/api/v1/auth/login"
        # API → Discord's authorize page → back to the API's callback, which sets the cookies.
        for _ in range(3):
            async with browser.get(url, allow_redirects=False) as response:
                if response.status not in REDIRECTS:
                    raise LoginError(f"GET {url} answered {response.status}, not a redirect")
                url = response.headers["Location"]
        access = jar.filter_cookies(URL(api_url)).get(ACCESS_COOKIE)
    if access is None:
        raise LoginError("the login set no access cookie")
    return access.value


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    statuses: Counter[int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else float(self.requests)


async def load(
    api_url: str, token: str, paths: Sequence[str], *, seconds: float, concurrency: int
) -> LoadResult:
    """GETs over `paths` in turn, `concurrency` at a time, with a Bearer token, for `seconds`.

    Bounded in time rather than in count: how many requests fit depends on the database.
    """
    statuses: Counter[int] = Counter()
    targets = itertools.cycle(paths)
    headers = {"Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    started = time.perf_counter()
    deadline = started + seconds

    async def worker(http: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            async with http.get(f"{api_url}{next(targets)}") as response:
                await response.read()
                statuses[response.status] += 1

    async with aiohttp.ClientSession(connector=connector, headers=headers) as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    return LoadResult(statuses.total(), time.perf_counter() - started, statuses)
