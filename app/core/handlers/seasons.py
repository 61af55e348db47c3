"""Starting a season: the ending season's podiums frozen into the new season, in one insert."""

from __future__ import annotations

from datetime import datetime

from app.core.actors import ensure_member_admin
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import StartSeason
from app.core.game.metrics import Stat
from app.core.ports import AnalyticsRepository, SeasonRepository
from app.core.reads.stats import LEADERBOARD_MIN_MATCHES
from app.core.seasons import (
    BEFORE_SEASONS,
    PODIUM_SIZE,
    EndedSeason,
    PodiumPlace,
    Season,
    SeasonFields,
    SeasonNameTaken,
    StatPodium,
    clean_season_name,
)


async def start_season(
    cmd: StartSeason,
    *,
    emit: Emit,
    seasons: SeasonRepository,
    analytics: AnalyticsRepository,
    clock: Clock,
) -> Season:
    ensure_member_admin(cmd.actor, cmd.guild_id)
    name = clean_season_name(cmd.name)
    earlier = await seasons.all_of(cmd.guild_id)
    replayed = next((s for s in earlier if s.idempotency_key == cmd.idempotency_key), None)
    if replayed is not None:
        return replayed
    if name.casefold() in {s.name.casefold() for s in earlier}:
        raise SeasonNameTaken
    current = earlier[0] if earlier else None
    now = clock()
    ended = await _final_results(analytics, cmd.guild_id, current, now)
    # The unique (server, number) index decides between two admins starting at once.
    return await seasons.start(
        SeasonFields(
            guild_id=cmd.guild_id,
            number=ended.number + 1,
            name=name,
            started_at=now,
            started_by=cmd.actor.user_id,
            idempotency_key=cmd.idempotency_key,
            ended=ended,
        )
    )


async def _final_results(
    analytics: AnalyticsRepository, guild_id: int, current: Season | None, now: datetime
) -> EndedSeason:
    since = current.started_at if current else None
    podiums = [
        await _podium(analytics, guild_id, stat, since) for stat in Stat
    ]  # one small aggregation per stat; a season starts a few times a year
    return EndedSeason(
        number=current.number if current else 0,
        name=current.name if current else BEFORE_SEASONS,
        started_at=since,
        ended_at=now,
        podiums=tuple(p for p in podiums if p.places),
    )


async def _podium(
    analytics: AnalyticsRepository, guild_id: int, stat: Stat, since: datetime | None
) -> StatPodium:
    rows = await analytics.leaderboard(
        guild_id,
        stat,
        since=since,
        mode=None,
        min_matches=LEADERBOARD_MIN_MATCHES,
        limit=PODIUM_SIZE,
    )
    places = tuple(
        PodiumPlace(rank=rank, user_id=r.user_id, value=r.value, matches=r.matches)
        for rank, r in enumerate(rows, start=1)
    )
    return StatPodium(stat=stat, places=places)
