"""A server: its leaderboard (members), its settings and digest (Manage Server)."""

from __future__ import annotations

from typing import Annotated

from fastapi import (
    APIRouter,
    Depends,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    status,
)

from app.api.auth.dependencies import CurrentPrincipal
from app.api.deps import BusDep, RuntimeDep
from app.api.ratelimit import ReadRateLimit
from app.api.schemas.commands import CommandAccepted
from app.api.schemas.common import Snowflake
from app.api.schemas.guilds import (
    GuildConfigPublic,
    GuildConfigUpdate,
    Leaderboard,
    LeaderboardQuery,
)
from app.api.schemas.problems import problem_responses
from app.core.actors import ensure_member_admin
from app.core.commands import RequestDigestNow, UpdateGuildConfig
from app.core.i18n import N_, _
from app.core.reads.guilds import guild_settings
from app.core.reads.stats import leaderboard

router = APIRouter(
    prefix="/api/v1/guilds/{guild_id}", tags=["guilds"], responses=problem_responses(401, 404, 422)
)

GuildId = Annotated[Snowflake, Path(description="A Discord server id.")]
NOT_QUEUED = N_("The request could not be queued for the bot; try again in a moment.")
IDEMPOTENCY_KEY = r"^[A-Za-z0-9_.:-]{1,128}$"


def admin_guild(guild_id: GuildId, principal: CurrentPrincipal) -> int:
    ensure_member_admin(principal.actor, guild_id)
    return guild_id


AdminGuild = Annotated[int, Depends(admin_guild)]


@router.get("/leaderboard", responses=problem_responses(429), dependencies=[ReadRateLimit])
async def guild_leaderboard(
    guild_id: GuildId,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    query: Annotated[LeaderboardQuery, Query()],
) -> Leaderboard:
    """The server's players ranked by one stat over a period (members of the server)."""
    deps = runtime.dependencies
    board = await leaderboard(
        deps.analytics,
        deps.clock,
        principal.actor,
        guild_id,
        query.stat,
        seasons=deps.seasons,
        period=query.period,
        mode=query.mode,
        min_matches=query.min_matches,
        limit=query.limit,
    )
    return Leaderboard.of(board)


@router.get("/config", responses=problem_responses(403, 429), dependencies=[ReadRateLimit])
async def get_guild_config(
    guild_id: GuildId, principal: CurrentPrincipal, runtime: RuntimeDep
) -> GuildConfigPublic:
    """The server's settings (Manage Server permission)."""
    config = await guild_settings(runtime.dependencies.guild_configs, principal.actor, guild_id)
    return GuildConfigPublic.of(config)


@router.put("/config", responses=problem_responses(403))
async def put_guild_config(
    guild_id: AdminGuild, settings: GuildConfigUpdate, principal: CurrentPrincipal, bus: BusDep
) -> GuildConfigPublic:
    """Replace the server's settings (Manage Server permission)."""
    saved = await bus.handle(
        UpdateGuildConfig(guild_id=guild_id, actor=principal.actor, changes=settings.model_dump())
    )
    return GuildConfigPublic.of(saved)


@router.post("/digest", status_code=status.HTTP_202_ACCEPTED, responses=problem_responses(403, 409))
async def post_guild_digest(
    guild_id: AdminGuild,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    bus: BusDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(pattern=IDEMPOTENCY_KEY, description="Retries with the same key queue it once."),
    ] = None,
) -> CommandAccepted:
    """Ask the bot to post this week's digest now, covering the seven days up to now (Manage
    Server permission); 409 when this week's digest was already posted."""
    key = await bus.handle(
        RequestDigestNow(guild_id=guild_id, actor=principal.actor, idempotency_key=idempotency_key)
    )
    # Queued by the bus's subscriber before handle() returned: one lookup by its unique key.
    queued = await runtime.dependencies.outbox.find(key)
    if queued is None:  # the subscriber failed (logged with its traceback): nothing is queued
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=_(NOT_QUEUED))
    status_url = request.app.url_path_for("command_status", command_id=queued.id)
    response.headers["Location"] = str(status_url)
    return CommandAccepted(command_id=queued.id, status_url=str(status_url))
