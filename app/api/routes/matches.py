"""Matches: list, read, correct and delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from app.api.auth.dependencies import CurrentPrincipal
from app.api.deps import BusDep, RuntimeDep
from app.api.ratelimit import ReadRateLimit
from app.api.schemas.matches import (
    DebriefPublic,
    MatchCorrection,
    MatchListQuery,
    MatchPage,
    MatchPublic,
)
from app.api.schemas.problems import problem_responses
from app.core.commands import CorrectMatch, DeleteMatch
from app.core.matches import PageCursor
from app.core.reads.matches import (
    find_changeable_match,
    find_visible_match,
    match_page,
    visible_debrief,
    visible_filter,
)

router = APIRouter(
    prefix="/api/v1/matches", tags=["matches"], responses=problem_responses(401, 422)
)

OBJECT_ID = r"^[0-9a-f]{24}$"
MatchId = Annotated[str, Path(pattern=OBJECT_ID, description="A match id.")]


@router.get("", responses=problem_responses(403, 404, 429), dependencies=[ReadRateLimit])
async def list_matches(
    principal: CurrentPrincipal, runtime: RuntimeDep, query: Annotated[MatchListQuery, Query()]
) -> MatchPage:
    """Your matches, or those of a server you belong to, newest first, a page at a time."""
    deps = runtime.dependencies
    where = visible_filter(principal.actor, query.selection(), deps.catalog)
    after = PageCursor.decode(query.cursor) if query.cursor else None
    page = await match_page(deps.matches, where, limit=query.limit, after=after)
    return MatchPage(
        items=[MatchPublic.of(match) for match in page.matches],
        next_cursor=page.next_cursor.encode() if page.next_cursor else None,
    )


@router.get("/{match_id}", responses=problem_responses(404, 429), dependencies=[ReadRateLimit])
async def get_match(
    match_id: MatchId, principal: CurrentPrincipal, runtime: RuntimeDep
) -> MatchPublic:
    """One match: yours, or one of a server you belong to."""
    match = await find_visible_match(runtime.dependencies.matches, principal.actor, match_id)
    return MatchPublic.of(match)


@router.get(
    "/{match_id}/debrief", responses=problem_responses(404, 429), dependencies=[ReadRateLimit]
)
async def get_debrief(
    match_id: MatchId, principal: CurrentPrincipal, runtime: RuntimeDep
) -> DebriefPublic:
    """The debrief of a match you can see (404 while it is still being written)."""
    deps = runtime.dependencies
    return DebriefPublic.of(
        await visible_debrief(deps.matches, deps.debriefs, principal.actor, match_id)
    )


@router.patch("/{match_id}", responses=problem_responses(403, 404))
async def correct_match(
    match_id: MatchId,
    correction: MatchCorrection,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    bus: BusDep,
) -> MatchPublic:
    """Replace a match's stats (its player or a server admin); checked like a reading."""
    await find_changeable_match(runtime.dependencies.matches, principal.actor, match_id)
    corrected = await bus.handle(
        CorrectMatch(match_id=match_id, actor=principal.actor, raw_stats=correction.raw_stats())
    )
    return MatchPublic.of(corrected)


@router.delete(
    "/{match_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(403, 404),
)
async def delete_match(
    match_id: MatchId, principal: CurrentPrincipal, runtime: RuntimeDep, bus: BusDep
) -> None:
    """Delete a match and its debrief (its player or a server admin)."""
    await find_changeable_match(runtime.dependencies.matches, principal.actor, match_id)
    await bus.handle(DeleteMatch(match_id=match_id, actor=principal.actor))
