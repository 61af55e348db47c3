"""Matches as a CSV file, streamed page by page."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from app.api.auth.dependencies import CurrentPrincipal
from app.api.deps import RuntimeDep
from app.api.export_slots import SlotHoldingResponse, get_export_slots
from app.api.ratelimit import ReadRateLimit, get_rate_limits
from app.api.schemas.matches import MatchQuery
from app.api.schemas.problems import problem_responses
from app.core.game.metrics import kd_ratio, mean_accuracy
from app.core.matches import Match, MatchFilter
from app.core.ports import MatchRepository
from app.core.reads.matches import every_match, visible_filter
from app.core.wording import counted

# Registered before the matches router: "/export.csv" would otherwise be read as a match id.
router = APIRouter(
    prefix="/api/v1/matches", tags=["matches"], responses=problem_responses(401, 403, 404, 422)
)

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
FILENAME = "debrief-matches.csv"
# Each mode's objective stats; a match of another mode leaves them empty.
OBJECTIVES = (
    "objective_time_s",
    "captures",
    "plants",
    "defuses",
    "overloads",
    "device_carry_time_s",
)
COLUMNS = (
    "match_id",
    "played_at",
    "guild_id",
    "user_id",
    "mode",
    "map",
    "result",
    "team_score",
    "enemy_score",
    "gamertag",
    "score",
    "kills",
    "deaths",
    "assists",
    "kd",
    "accuracy",
    *OBJECTIVES,
    "weapons",
    "source",
    "corrected",
    "note",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}}},
        **problem_responses(429, 503),
    },
    dependencies=[ReadRateLimit],
)
async def export_matches(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    query: Annotated[MatchQuery, Query()],
    request: Request,
) -> StreamingResponse:
    """The matches of a listing (same filters) as a CSV file, one row per match.

    One export at a time per user (429 otherwise), a few per server (503 when busy), and
    `EXPORT_RATE_LIMIT` per user (429).
    """
    where = visible_filter(principal.actor, query.selection(), runtime.dependencies.catalog)
    # The slot first: refusing a second concurrent export costs nothing and no quota.
    slot = get_export_slots(request).take(principal.discord_id)
    try:
        await get_rate_limits(request).export(principal.discord_id)
    except BaseException:
        slot.release()
        raise
    return SlotHoldingResponse(
        _csv_lines(runtime.dependencies.matches, where),
        slot=slot,
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{FILENAME}"'},
    )


async def _csv_lines(matches: MatchRepository, where: MatchFilter) -> AsyncIterator[str]:
    yield _csv_line(COLUMNS)
    async for match in every_match(matches, where):
        yield _csv_line(_row(match))


def _csv_line(cells: Sequence[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([_neutralised(cell) for cell in cells])
    return buffer.getvalue()


def _neutralised(cell: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _row(match: Match) -> tuple[object, ...]:
    stats = match.stats
    player = stats.player
    accuracy = mean_accuracy(stats.weapons)
    weapons = "; ".join(f"{w.name} ({counted(w.kills, 'kill')})" for w in stats.weapons)
    return (
        match.id,
        match.played_at.isoformat(),
        match.guild_id,
        match.user_id,
        stats.mode.value,
        stats.map,
        stats.result.value,
        stats.team_score,
        stats.enemy_score,
        player.gamertag or "",
        player.score,
        player.kills,
        player.deaths,
        player.assists,
        round(kd_ratio(player.kills, player.deaths), 2),
        "" if accuracy is None else round(accuracy, 1),
        *(getattr(player, name, "") for name in OBJECTIVES),
        weapons,
        match.source.value,
        match.corrected,
        match.note or "",
    )
