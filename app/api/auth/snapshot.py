"""The user as Debrief keeps them: profile and server snapshot, taken from Discord.

Taken at every login and, while the sealed Discord token is valid, at every refresh, so losing
a server or a permission on Discord soon shows in what the API lets the user see.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from app.api.auth.discord import (
    DiscordGrant,
    DiscordGuild,
    DiscordLogin,
    DiscordProfile,
    DiscordTokenExpired,
    DiscordUnavailable,
)
from app.core.accounts import GuildMembership, User, UserFields
from app.core.ports import UserRepository

logger = logging.getLogger(__name__)


def memberships(guilds: Iterable[DiscordGuild]) -> list[GuildMembership]:
    return [
        GuildMembership(
            guild_id=guild.id, name=guild.name, permissions=guild.permissions, owner=guild.owner
        )
        for guild in guilds
    ]


def logged_in_user(profile: DiscordProfile, now: datetime) -> UserFields:
    """The user at login; `created_at` only applies the first time (the upsert keeps it)."""
    return UserFields(
        discord_id=profile.user.id,
        username=profile.user.username,
        global_name=profile.user.global_name,
        avatar=profile.user.avatar,
        guilds=memberships(profile.guilds),
        guilds_refreshed_at=now,
        created_at=now,
        last_login_at=now,
    )


def with_guilds(user: User, guilds: Iterable[DiscordGuild], now: datetime) -> UserFields:
    kept = user.model_dump(exclude={"id", "guilds", "guilds_refreshed_at"})
    return UserFields(**kept, guilds=memberships(guilds), guilds_refreshed_at=now)


async def refresh_guilds(
    discord: DiscordLogin, users: UserRepository, user: User, grant: DiscordGrant, now: datetime
) -> bool:
    """Re-read the user's servers; False once Discord no longer accepts the grant.

    If Discord is down the old snapshot stays: a refresh must not fail because of Discord.
    """
    try:
        guilds = await discord.guilds(grant)
    except DiscordTokenExpired:
        return False
    except DiscordUnavailable:
        logger.info("server snapshot of user %s kept: Discord unavailable", user.discord_id)
        return True
    await users.upsert(with_guilds(user, guilds, now))
    return True
