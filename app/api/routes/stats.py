"""Your numbers: a summary over a period, and one stat's trend."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.auth.dependencies import CurrentPrincipal
from app.api.deps import RuntimeDep
from app.api.ratelimit import ReadRateLimit
from app.api.schemas.problems import problem_responses
from app.api.schemas.stats import StatsSummary, SummaryQuery, TrendQuery, TrendSeries
from app.api.views.stats import summarize, trend

router = APIRouter(prefix="/api/v1/stats", tags=["stats"], responses=problem_responses(401, 422))


@router.get("/summary", responses=problem_responses(429), dependencies=[ReadRateLimit])
async def stats_summary(
    principal: CurrentPrincipal, runtime: RuntimeDep, query: Annotated[SummaryQuery, Query()]
) -> StatsSummary:
    """Your matches, results, K/D, averages and bests, optionally in one server or mode."""
    deps = runtime.dependencies
    return await summarize(
        deps.matches,
        deps.clock,
        user_id=principal.discord_id,
        guild_id=query.guild_id,
        mode=query.mode,
        period=query.period,
    )


@router.get("/trend", responses=problem_responses(429), dependencies=[ReadRateLimit])
async def stats_trend(
    principal: CurrentPrincipal, runtime: RuntimeDep, query: Annotated[TrendQuery, Query()]
) -> TrendSeries:
    """One stat over your last matches, oldest first, with its rolling average."""
    return await trend(
        runtime.dependencies.analytics,
        user_id=principal.discord_id,
        stat=query.stat,
        guild_id=query.guild_id,
        mode=query.mode,
        last=query.last,
    )
