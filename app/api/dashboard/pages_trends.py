"""Trends: one stat over the visitor's last matches with its rolling average, and a
squadmate's overlaid (within a server both belong to), as an inline SVG chart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.api.dashboard.people import anonymous, player_names, shared_servers
from app.api.dashboard.queries import LEADERBOARD_SIZE, TrendChoice, choices
from app.api.dashboard.svg_chart import Series, trend_chart
from app.api.dashboard.templating import render
from app.api.dashboard.visitor import Visitor, VisitorDep
from app.api.deps import RuntimeDep
from app.core.game.metrics import Stat
from app.core.i18n import _
from app.core.reads.compare import Comparison, compare, table
from app.core.reads.options import Period, mode_options, stat_options
from app.core.reads.stats import Trend, leaderboard, trend
from app.shared.runtime import Runtime

router = APIRouter(prefix="/dashboard/trends", include_in_schema=False)


@router.get("")
async def trends(
    request: Request,
    visitor: VisitorDep,
    runtime: RuntimeDep,
    choice: Annotated[TrendChoice, Query()],
) -> Response:
    """The chart, its data as a table, and the form that chooses what it shows."""
    side_by_side = await _side_by_side(runtime, visitor, choice)
    if side_by_side is not None:
        mine, theirs = side_by_side.you.trend, side_by_side.them.trend
    else:
        mine = await _trend_of(runtime, visitor, choice, None)
        theirs = None
        if choice.compare_with is not None:
            theirs = await _trend_of(runtime, visitor, choice, choice.compare_with)
    squadmates = await _squadmates(runtime, visitor, choice)
    names = await player_names(
        runtime.dependencies.users, [*([theirs.user_id] if theirs else []), *squadmates]
    )
    series = [_series(_("You"), mine)]
    their_name = None
    if theirs is not None:
        their_name = _name(names, theirs.user_id)
        series.append(_series(their_name, theirs))
    servers = await shared_servers(request, visitor)
    return render(
        "trends.html",
        {
            "visitor": visitor,
            "choice": choice,
            "stat_label": choice.stat.label,
            "chart": trend_chart(series),
            "mine": mine,
            "theirs": theirs,
            "their_name": their_name,
            "compare_rows": table(side_by_side) if side_by_side else (),
            "squadmates": [(str(user_id), _name(names, user_id)) for user_id in squadmates],
            "servers": [(str(server.guild_id), server.name) for server in servers],
            "stats": choices(stat_options()),
            "modes": choices(mode_options()),
        },
    )


async def _side_by_side(
    runtime: Runtime, visitor: Visitor, choice: TrendChoice
) -> Comparison | None:
    """With a squadmate in a server: /compare's numbers and both trends (the read layer checks
    the server and that the squadmate played there)."""
    if choice.compare_with is None or choice.guild_id is None:
        return None
    return await compare(
        runtime.dependencies.analytics,
        visitor.principal.actor,
        choice.guild_id,
        choice.compare_with,
        choice.stat,
        mode=choice.mode,
        last=choice.last,
    )


async def _trend_of(
    runtime: Runtime, visitor: Visitor, choice: TrendChoice, user_id: int | None
) -> Trend:
    """The visitor's trend (None), or a squadmate's: the read layer checks the server."""
    return await trend(
        runtime.dependencies.analytics,
        visitor.principal.actor,
        choice.stat,
        last=choice.last,
        user_id=user_id,
        guild_id=choice.guild_id,
        mode=choice.mode,
    )


def _name(names: Mapping[int, str], user_id: int) -> str:
    return names.get(user_id) or anonymous(user_id)


def _series(label: str, points: Trend) -> Series:
    return Series(
        label,
        tuple(point.value for point in points.points),
        tuple(point.rolling_average for point in points.points),
    )


async def _squadmates(runtime: Runtime, visitor: Visitor, choice: TrendChoice) -> list[int]:
    """Players with matches in the chosen server (from its all-time board), to compare with."""
    if choice.guild_id is None:
        return []
    deps = runtime.dependencies
    board = await leaderboard(
        deps.analytics,
        deps.clock,
        visitor.principal.actor,
        choice.guild_id,
        Stat.KD,
        seasons=deps.seasons,
        period=Period.ALL,
        limit=LEADERBOARD_SIZE,
    )
    own = visitor.principal.discord_id
    return [ranked.row.user_id for ranked in board.entries if ranked.row.user_id != own]
