"""My servers: each one's leaderboard (stat, period, mode) and its week so far, for members;
its settings form for admins, through the same model and command as PUT /config."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import ValidationError
from starlette.responses import Response

from app.api.dashboard.discord_text import discord_lines, mentioned_ids
from app.api.dashboard.form_problems import field_problems, settings_problems
from app.api.dashboard.forms import PostedForm
from app.api.dashboard.match_views import server_name
from app.api.dashboard.pages_home import see_other
from app.api.dashboard.people import anonymous, player_names, shared_servers
from app.api.dashboard.queries import LEADERBOARD_SIZE, BoardChoice, choices
from app.api.dashboard.settings_form import LANGUAGES, WEEKDAYS, raw_settings, settings_values
from app.api.dashboard.templating import render
from app.api.dashboard.visitor import Visitor, VisitorDep
from app.api.deps import BusDep, RuntimeDep
from app.api.schemas.common import Snowflake
from app.api.schemas.guilds import GuildConfigUpdate
from app.api.schemas.problems import FieldProblem
from app.core.actors import Actor, ensure_member_admin
from app.core.commands import UpdateGuildConfig
from app.core.errors import ChannelOutsideServer
from app.core.game.metrics import kd_ratio
from app.core.handlers.guilds import InvalidConfig
from app.core.i18n import _
from app.core.reads.digests import latest_digest, week_so_far
from app.core.reads.guilds import guild_settings
from app.core.reads.options import (
    ask_scope_setting_options,
    mode_options,
    period_options,
    stat_options,
)
from app.core.reads.stats import leaderboard
from app.shared.runtime import Runtime

router = APIRouter(prefix="/dashboard/servers", include_in_schema=False)

GuildId = Annotated[Snowflake, Path()]


@router.get("")
async def my_servers(request: Request, visitor: VisitorDep) -> Response:
    """The visitor's servers that the bot shares."""
    servers = await shared_servers(request, visitor)
    return render("servers.html", {"visitor": visitor, "servers": servers})


@router.get("/{guild_id}")
async def server_page(
    guild_id: GuildId,
    visitor: VisitorDep,
    runtime: RuntimeDep,
    choice: Annotated[BoardChoice, Query()],
    saved: bool = False,
) -> Response:
    """One server: its leaderboard and week so far; its settings for admins."""
    return await _server_view(runtime, visitor, guild_id, choice, saved=saved)


@router.post("/{guild_id}/settings")
async def save_settings(
    guild_id: GuildId, visitor: VisitorDep, form: PostedForm, runtime: RuntimeDep, bus: BusDep
) -> Response:
    """PUT /config as a form: every setting, checked by the same model and handler."""
    actor = visitor.principal.actor
    ensure_member_admin(actor, guild_id)
    try:
        settings = GuildConfigUpdate.model_validate(raw_settings(form))
        await bus.handle(
            UpdateGuildConfig(guild_id=guild_id, actor=actor, changes=settings.model_dump())
        )
    except ValidationError as error:
        problems = field_problems(error)
    except ChannelOutsideServer as error:
        problems = [FieldProblem(field="digest_channel_id", message=error.user_message)]
    except InvalidConfig as error:
        problems = settings_problems(error)
    else:
        return see_other(f"/dashboard/servers/{guild_id}?saved=true#settings")
    return await _server_view(
        runtime, visitor, guild_id, BoardChoice(), form=form, problems=problems
    )


async def _server_view(
    runtime: Runtime,
    visitor: Visitor,
    guild_id: int,
    choice: BoardChoice,
    *,
    saved: bool = False,
    form: Mapping[str, str] | None = None,
    problems: Sequence[FieldProblem] = (),
) -> Response:
    actor = visitor.principal.actor
    context: dict[str, Any] = {
        "visitor": visitor,
        "guild_id": guild_id,
        "server": _name_of(visitor, guild_id),
        "choice": choice,
        "stats": choices(stat_options()),
        "periods": choices(period_options()),
        "modes": choices(mode_options()),
        "is_admin": actor.is_admin_of(guild_id),
        "saved": saved,
        "problems": {problem.field: problem.message for problem in problems},
        **await _board_and_digests(runtime, actor, guild_id, choice),
    }
    if actor.is_admin_of(guild_id):
        context.update(await _settings(runtime, actor, guild_id, form))
    return render("server.html", context, status_code=422 if problems else 200)


async def _board_and_digests(
    runtime: Runtime, actor: Actor, guild_id: int, choice: BoardChoice
) -> dict[str, Any]:
    """What every member sees: the leaderboard, the week so far, the latest digest."""
    deps = runtime.dependencies
    board = await leaderboard(
        deps.analytics,
        deps.clock,
        actor,
        guild_id,
        choice.stat,
        seasons=deps.seasons,
        period=choice.period,
        mode=choice.mode,
        limit=LEADERBOARD_SIZE,
    )
    week = await week_so_far(deps.analytics, deps.clock, actor, guild_id)
    written = await latest_digest(deps.outbox, deps.clock, actor, guild_id)
    text = written.digest.text if written else ""
    players = [
        *(ranked.row.user_id for ranked in board.entries),
        *(row.user_id for row in week.totals.top_players),
        *mentioned_ids(text),
    ]
    names = await player_names(deps.users, players)
    return {
        "board": board,
        "week": week,
        "squad_kd": kd_ratio(week.totals.kills, week.totals.deaths),
        "last_digest": written,
        "last_digest_lines": discord_lines(text, lambda user_id: _player(names, user_id)),
        "names": names,
    }


async def _settings(
    runtime: Runtime, actor: Actor, guild_id: int, form: Mapping[str, str] | None
) -> dict[str, Any]:
    """The settings form of an admin: as stored, or as they just posted it."""
    config = await guild_settings(runtime.dependencies.guild_configs, actor, guild_id)
    return {
        "config": config,
        "values": dict(form) if form is not None else settings_values(config),
        "weekdays": [(number, _(day)) for number, day in WEEKDAYS],
        "ask_scopes": choices(ask_scope_setting_options()),
        "languages": [(code, _(name)) for code, name in LANGUAGES],
    }


def _player(names: Mapping[int, str], user_id: int) -> str:
    return names.get(user_id) or anonymous(user_id)


def _name_of(visitor: Visitor, guild_id: int) -> str:
    return server_name(visitor.user, guild_id)
