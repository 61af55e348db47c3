"""My matches (filters, cursor paging, CSV), and one match: stats, debrief, flags, and the
correction and delete forms, through the API's reads, model and commands."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import ValidationError
from starlette.responses import Response

from app.api.dashboard.correction_form import (
    form_values,
    objective_groups,
    raw_correction,
    weapon_rows,
)
from app.api.dashboard.form_problems import field_problems, stat_form_problems
from app.api.dashboard.forms import PostedForm
from app.api.dashboard.match_views import (
    export_link,
    flag_groups,
    kd,
    own_matches,
    page_link,
    server_name,
)
from app.api.dashboard.pages_home import see_other
from app.api.dashboard.queries import MATCHES_PER_PAGE, MatchFilters, choices
from app.api.dashboard.templating import render
from app.api.dashboard.visitor import Visitor, VisitorDep
from app.api.deps import BusDep, RuntimeDep
from app.api.schemas.matches import MatchCorrection
from app.api.schemas.problems import FieldProblem
from app.core.actors import can_change
from app.core.commands import CorrectMatch, DeleteMatch
from app.core.game.errors import InvalidMatchStats
from app.core.game.rules import Mode, Result
from app.core.i18n import _
from app.core.matches import PageCursor
from app.core.reads.matches import find_changeable_match, match_page, show_match, visible_filter
from app.core.reads.options import mode_options, period_options
from app.shared.runtime import Runtime

router = APIRouter(prefix="/dashboard/matches", include_in_schema=False)

MatchId = Annotated[str, Path(pattern=r"^[0-9a-f]{24}$")]


@router.get("")
async def my_matches(
    visitor: VisitorDep,
    runtime: RuntimeDep,
    filters: Annotated[MatchFilters, Query()],
    deleted: bool = False,
) -> Response:
    """The visitor's matches, newest first, a page at a time."""
    deps = runtime.dependencies
    selection = own_matches(filters, deps.clock)
    where = visible_filter(visitor.principal.actor, selection, deps.catalog)
    after = PageCursor.decode(filters.cursor) if filters.cursor else None
    page = await match_page(deps.matches, where, limit=MATCHES_PER_PAGE, after=after)
    next_link = page_link(filters, page.next_cursor.encode()) if page.next_cursor else None
    return render(
        "matches.html",
        {
            "visitor": visitor,
            "filters": filters,
            "matches": page.matches,
            "kd": kd,
            "modes": choices(mode_options()),
            "periods": choices(period_options()),
            "maps": [entry.name for entry in deps.catalog.maps],
            "next_link": next_link,
            "first_link": page_link(filters, None) if filters.cursor else None,
            "export_link": export_link(selection),
            "deleted": deleted,
        },
    )


@router.get("/{match_id}")
async def match_page_view(
    match_id: MatchId, visitor: VisitorDep, runtime: RuntimeDep, saved: bool = False
) -> Response:
    """One match the visitor may see, with the forms if they may change it."""
    return await _match_view(runtime, visitor, match_id, saved=saved)


@router.post("/{match_id}/correct")
async def correct_match(
    match_id: MatchId, visitor: VisitorDep, form: PostedForm, runtime: RuntimeDep, bus: BusDep
) -> Response:
    """The API's PATCH as a form: the same body model, the same command and checks."""
    actor = visitor.principal.actor
    await find_changeable_match(runtime.dependencies.matches, actor, match_id)
    try:
        correction = MatchCorrection.model_validate(raw_correction(form))
        await bus.handle(
            CorrectMatch(match_id=match_id, actor=actor, raw_stats=correction.raw_stats())
        )
    except ValidationError as error:
        return await _match_view(
            runtime, visitor, match_id, form=form, problems=field_problems(error)
        )
    except InvalidMatchStats as error:
        problems = stat_form_problems(error.problems)
        return await _match_view(runtime, visitor, match_id, form=form, problems=problems)
    return see_other(f"/dashboard/matches/{match_id}?saved=true")


@router.post("/{match_id}/delete")
async def delete_match(
    match_id: MatchId, visitor: VisitorDep, form: PostedForm, runtime: RuntimeDep, bus: BusDep
) -> Response:
    """The API's DELETE as a form, once the visitor ticked the confirmation."""
    actor = visitor.principal.actor
    await find_changeable_match(runtime.dependencies.matches, actor, match_id)
    if form.get("confirm") != "yes":
        problems = [FieldProblem(field="confirm", message=_("Tick the box to delete this match."))]
        return await _match_view(runtime, visitor, match_id, problems=problems)
    await bus.handle(DeleteMatch(match_id=match_id, actor=actor))
    return see_other("/dashboard/matches?deleted=true")


async def _match_view(
    runtime: Runtime,
    visitor: Visitor,
    match_id: str,
    *,
    saved: bool = False,
    form: Mapping[str, str] | None = None,
    problems: Sequence[FieldProblem] = (),
) -> Response:
    deps = runtime.dependencies
    actor = visitor.principal.actor
    shown = await show_match(deps.matches, deps.debriefs, actor, match_id)
    match = shown.match
    values = dict(form) if form is not None else form_values(match)
    context: dict[str, Any] = {
        "visitor": visitor,
        "match": match,
        "debrief": shown.debrief,
        "kd": kd(match),
        "server": server_name(visitor.user, match.guild_id),
        "flag_groups": flag_groups(match),
        "can_change": can_change(actor, owner_id=match.user_id, guild_id=match.guild_id),
        "saved": saved,
        "values": values,
        "problems": {problem.field: problem.message for problem in problems},
        "modes": list(Mode),
        "results": list(Result),
        "objective_groups": objective_groups(),
        "weapon_rows": weapon_rows(values),
    }
    return render("match.html", context, status_code=422 if problems else 200)
