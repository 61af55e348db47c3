"""Discord snowflake ids: milliseconds since 2015 in the high bits, then the worker and process
that made the id, then a counter."""

from __future__ import annotations

import secrets

from .clock import Clock

DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeFactory:
    """Hands out strictly increasing snowflakes, each with its own timestamp.

    A distinct timestamp per id spreads consecutive guilds over shards the way real ids do,
    because a guild's shard is `(guild_id >> 22) % shard_count`.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last_ms = 0
        self._counter = 0
        # Discord's 5-bit worker and 5-bit process ids, drawn once per emulator: two emulators
        # started in the same millisecond (two sandboxes, parallel tests) hand out distinct ids.
        self._origin = secrets.randbits(10) << 12

    def next(self) -> int:
        now_ms = int(self._clock.now() * 1000) - DISCORD_EPOCH_MS
        self._last_ms = max(now_ms, self._last_ms + 1)
        self._counter = (self._counter + 1) & 0xFFF
        return (self._last_ms << 22) | self._origin | self._counter


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that receives a guild's events (Discord's documented formula)."""
    return (guild_id >> 22) % shard_count
