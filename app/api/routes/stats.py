"""Your numbers: a summary over a period, one stat's trend, a squadmate compared, your session."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.auth.dependencies import CurrentPrincipal
from app.api.deps import RuntimeDep
from app.api.ratelimit import ReadRateLimit
from app.api.schemas.problems import problem_responses
from app.api.schemas.squad import ComparePublic, CompareQuery, SessionPublic, SessionQuery
from app.api.schemas.stats import StatsSummary, SummaryQuery, TrendQuery, TrendSeries
from app.core.reads.compare import compare
from app.core.reads.sessions import current_session
from app.core.reads.stats import summary, trend

router = APIRouter(prefix="/api/v1/stats", tags=["stats"], responses=problem_responses(401, 422))


@router.get("/summary", responses=problem_responses(429), dependencies=[ReadRateLimit])
async def stats_summary(
    principal: CurrentPrincipal, runtime: RuntimeDep, query: Annotated[SummaryQuery, Query()]
) -> StatsSummary:
    """Your matches, results, K/D, averages and bests, optionally in one server or mode."""
    deps = runtime.dependencies
    numbers = await summary(
        deps.analytics,
        deps.clock,
        principal.actor,
        guild_id=query.guild_id,
        mode=query.mode,
        period=query.period,
        seasons=deps.seasons,
    )
    return StatsSummary.of(numbers)


@router.get("/trend", responses=problem_responses(429), dependencies=[ReadRateLimit])
async def stats_trend(
    principal: CurrentPrincipal, runtime: RuntimeDep, query: Annotated[TrendQuery, Query()]
) -> TrendSeries:
    """One stat over your last matches, oldest first, with its rolling average."""
    series = await trend(
        runtime.dependencies.analytics,
        principal.actor,
        query.stat,
        last=query.last,
        guild_id=query.guild_id,
        mode=query.mode,
    )
    return TrendSeries.of(series)


@router.get("/compare", responses=problem_responses(400, 404, 429), dependencies=[ReadRateLimit])
async def stats_compare(
    principal: CurrentPrincipal, runtime: RuntimeDep, query: Annotated[CompareQuery, Query()]
) -> ComparePublic:
    """You and a squadmate in a server you share: numbers side by side, and one stat's trend."""
    comparison = await compare(
        runtime.dependencies.analytics,
        principal.actor,
        query.guild_id,
        query.player_id,
        query.stat,
        mode=query.mode,
        last=query.last,
    )
    return ComparePublic.of(comparison)


@router.get("/session", responses=problem_responses(404, 429), dependencies=[ReadRateLimit])
async def stats_session(
    principal: CurrentPrincipal, runtime: RuntimeDep, query: Annotated[SessionQuery, Query()]
) -> SessionPublic:
    """Your latest play session: matches with no longer break than the gap between them."""
    deps = runtime.dependencies
    session = await current_session(
        deps.matches,
        deps.clock,
        principal.actor,
        guild_id=query.guild_id,
        gap=timedelta(minutes=query.gap_minutes),
    )
    return SessionPublic.of(session)
