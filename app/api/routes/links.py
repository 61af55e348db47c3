"""A server's linked gamertags (the caller's own) and seasons (started by its admins)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response, status

from app.api.auth.dependencies import CurrentPrincipal
from app.api.deps import BusDep, RuntimeDep
from app.api.ratelimit import ReadRateLimit
from app.api.schemas.common import Snowflake
from app.api.schemas.links import (
    LinkPublic,
    LinkRequest,
    Links,
    SeasonPublic,
    SeasonRequest,
    Seasons,
)
from app.api.schemas.problems import problem_responses
from app.core.actors import ensure_member
from app.core.commands import LinkGamertag, StartSeason, UnlinkGamertag
from app.core.links import MAX_GAMERTAG_LENGTH
from app.core.reads.seasons import server_seasons

router = APIRouter(
    prefix="/api/v1/guilds/{guild_id}", tags=["guilds"], responses=problem_responses(401, 404, 422)
)

GuildId = Annotated[Snowflake, Path(description="A Discord server id.")]
IDEMPOTENCY_KEY = r"^[A-Za-z0-9_.:-]{1,128}$"


@router.get("/links", responses=problem_responses(429), dependencies=[ReadRateLimit])
async def get_links(guild_id: GuildId, principal: CurrentPrincipal, runtime: RuntimeDep) -> Links:
    """The caller's linked gamertags in the server (members)."""
    ensure_member(principal.actor, guild_id)
    links = await runtime.dependencies.gamertag_links.of_member(guild_id, principal.actor.user_id)
    return Links(links=[LinkPublic.of(link) for link in links])


@router.put("/links", responses=problem_responses(403, 409))
async def put_link(
    guild_id: GuildId, body: LinkRequest, principal: CurrentPrincipal, bus: BusDep
) -> LinkPublic:
    """Link a gamertag to the caller; 409 when another member owns it. With `member_id`
    (Manage Server): give it to that member, whoever had it. Linking it again changes nothing
    but `auto_record`, when given."""
    linked = await bus.handle(
        LinkGamertag(
            guild_id=guild_id,
            actor=principal.actor,
            gamertag=body.gamertag,
            member_id=body.member_id,
            auto_record=body.auto_record,
        )
    )
    return LinkPublic.of(linked)


@router.delete("/links", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(404))
async def delete_link(
    guild_id: GuildId,
    principal: CurrentPrincipal,
    bus: BusDep,
    gamertag: Annotated[str, Query(min_length=1, max_length=MAX_GAMERTAG_LENGTH)],
) -> Response:
    """Unlink one of the caller's gamertags (Manage Server: anyone's)."""
    await bus.handle(UnlinkGamertag(guild_id=guild_id, actor=principal.actor, gamertag=gamertag))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/seasons", responses=problem_responses(429), dependencies=[ReadRateLimit])
async def get_seasons(
    guild_id: GuildId, principal: CurrentPrincipal, runtime: RuntimeDep
) -> Seasons:
    """The server's seasons, newest (current) first, each with the top three of the season it
    ended (members)."""
    started = await server_seasons(runtime.dependencies.seasons, principal.actor, guild_id)
    return Seasons(seasons=[SeasonPublic.of(season) for season in started])


@router.post("/seasons", status_code=status.HTTP_201_CREATED, responses=problem_responses(403, 409))
async def post_season(
    guild_id: GuildId,
    body: SeasonRequest,
    principal: CurrentPrincipal,
    bus: BusDep,
    idempotency_key: Annotated[
        str | None,
        Header(pattern=IDEMPOTENCY_KEY, description="Retries with the same key start it once."),
    ] = None,
) -> SeasonPublic:
    """Start a new season (Manage Server): leaderboards count from now, and the ending
    season's top three of every stat are kept with it."""
    # Scoped to the caller, as another admin's key is not theirs. Without a key every request
    # is a new start: a retry then meets "name taken" rather than a second season.
    caller = principal.actor.user_id
    key = f"api:{caller}:{idempotency_key or uuid.uuid4().hex}"
    season = await bus.handle(
        StartSeason(guild_id=guild_id, actor=principal.actor, name=body.name, idempotency_key=key)
    )
    return SeasonPublic.of(season)
