"""The per-player cooldowns of /debrief and /log: taken before the work, given back if it fails.

Each command has its own (a /log does not hold up a /debrief), both as long as the server's
match cooldown (`debrief_cooldown_s`, set with /config cooldowns). A cooldown stops a player
from saving matches, and paying for debriefs, faster than that; work that saves nothing (an
unreadable screenshot, the AI unavailable, stats that don't add up) costs none, so the player
can try again at once.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from app.core.clock import Clock
from app.core.errors import CooldownActive
from app.core.ports import CooldownRepository, GuildConfigRepository


@asynccontextmanager
async def match_cooldown(
    kind: str,
    guild_id: int,
    user_id: int,
    *,
    guild_configs: GuildConfigRepository,
    cooldowns: CooldownRepository,
    clock: Clock,
) -> AsyncIterator[None]:
    """Hold the player's `kind` cooldown for the block; `CooldownActive` if one is running,
    and the cooldown given back if the block fails."""
    config = await guild_configs.get(guild_id)
    if config.debrief_cooldown_s <= 0:
        yield
        return
    key, started = f"{kind}:{guild_id}:{user_id}", clock()
    duration = timedelta(seconds=config.debrief_cooldown_s)
    left = await cooldowns.start(key, started, duration)
    if left is not None:
        raise CooldownActive(max(1, math.ceil(left.total_seconds())))
    try:
        yield
    except Exception:
        await cooldowns.give_back(key, started, duration)
        raise
