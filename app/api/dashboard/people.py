"""Names for the ids the reads return: servers from the visitor's snapshot, players from the
accounts of those who logged in to the web (others are shown by the end of their id)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

from fastapi import Request

from app.api.bot_guilds import BotGuilds
from app.api.dashboard.visitor import Visitor
from app.core.i18n import _
from app.core.ports import UserRepository

# Leaderboards and comparisons name at most this many players: one lookup by unique id each.
MAX_NAMED = 25


@dataclass(frozen=True, slots=True)
class Server:
    guild_id: int
    name: str
    admin: bool


async def shared_servers(request: Request, visitor: Visitor) -> tuple[Server, ...]:
    """The visitor's servers that the bot is in (all of them when that is unknown)."""
    bot_guilds = cast(BotGuilds, request.app.state.bot_guilds)
    with_bot = await bot_guilds.ids()
    principal = visitor.principal
    return tuple(
        Server(guild.guild_id, guild.name, guild.guild_id in principal.admin_of)
        for guild in sorted(visitor.user.guilds, key=lambda g: g.name.casefold())
        if with_bot is None or guild.guild_id in with_bot
    )


async def player_names(users: UserRepository, ids: Iterable[int]) -> Mapping[int, str]:
    names: dict[int, str] = {}
    for user_id in list(dict.fromkeys(ids))[:MAX_NAMED]:
        user = await users.get_by_discord_id(user_id)
        names[user_id] = (user.global_name or user.username) if user else anonymous(user_id)
    return names


def anonymous(user_id: int) -> str:
    return _("Player …{digits}", digits=str(user_id)[-4:])
