"""A server's seasons, for its members: the ended seasons' top three, frozen when they ended."""

from __future__ import annotations

from app.core.actors import Actor, ensure_member
from app.core.i18n import _
from app.core.ports import SeasonRepository
from app.core.seasons import EndedSeason, Season, UnknownSeason


async def server_seasons(seasons: SeasonRepository, actor: Actor, guild_id: int) -> list[Season]:
    """Every season the server started, newest first, each with the one it ended."""
    ensure_member(actor, guild_id)
    return await seasons.all_of(guild_id)


async def ended_season(
    seasons: SeasonRepository, actor: Actor, guild_id: int, name: str | None = None
) -> EndedSeason:
    """The ended season of that name, or the last one to end; UnknownSeason if none."""
    started = await server_seasons(seasons, actor, guild_id)
    if not started:
        raise UnknownSeason(
            _("No season has ended here yet; an admin starts one with /season start.")
        )
    if name is None:
        return started[0].ended
    for season in started:
        if season.ended.is_called(name):
            return season.ended
    raise UnknownSeason
