"""Discord's rate limits: a global ceiling per bot and per-route buckets.

The global limit is a sliding one-second window. Route buckets are fixed windows keyed by
route and major parameter (channel, guild or webhook id); their state is what the
X-RateLimit-* headers report, so clients like discord.py pace themselves before a 429.
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass

from .clock import Clock

WINDOW_SECONDS = 1.0
MAJOR_PARAMETERS = ("channel_id", "guild_id", "webhook_id", "interaction_id")


@dataclass(frozen=True)
class BucketState:
    limit: int
    remaining: int
    reset_at: float
    reset_after: float
    bucket: str
    exceeded: bool

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": f"{self.reset_at:.3f}",
            "X-RateLimit-Reset-After": f"{self.reset_after:.3f}",
            "X-RateLimit-Bucket": self.bucket,
        }


class RateLimiter:
    def __init__(self, clock: Clock, *, global_limit: int, route_limit: int) -> None:
        self._clock = clock
        self._global_limit = global_limit
        self._route_limit = route_limit
        self._recent: deque[float] = deque()
        self._windows: dict[str, tuple[float, int]] = {}

    def take_global(self) -> float | None:
        """Count one call against the global limit; the wait in seconds when over it."""
        now = self._clock.now()
        while self._recent and self._recent[0] <= now - WINDOW_SECONDS:
            self._recent.popleft()
        if len(self._recent) >= self._global_limit:
            return max(0.001, self._recent[0] + WINDOW_SECONDS - now)
        self._recent.append(now)
        return None

    def take_route(self, method: str, template: str, params: dict[str, str]) -> BucketState:
        now = self._clock.now()
        major = ":".join(params.get(name, "") for name in MAJOR_PARAMETERS)
        key = f"{method} {template} {major}"
        started, used = self._windows.get(key, (now, 0))
        if now >= started + WINDOW_SECONDS:
            started, used = now, 0
        used += 1
        self._windows[key] = (started, used)
        reset_at = started + WINDOW_SECONDS
        return BucketState(
            limit=self._route_limit,
            remaining=max(0, self._route_limit - used),
            reset_at=reset_at,
            reset_after=max(0.0, reset_at - now),
            bucket=hashlib.sha256(f"{method} {template}".encode()).hexdigest()[:16],
            exceeded=used > self._route_limit,
        )
