"""Handlers for per-server settings."""

from __future__ import annotations

from pydantic import ValidationError

from app.core.actors import ensure_admin
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import UpdateGuildConfig
from app.core.errors import DomainError
from app.core.events import GuildConfigUpdated
from app.core.guilds import GuildConfig
from app.core.ports import GuildConfigRepository

# Fields an admin may change; identity and audit fields are set here, never by the caller.
_EDITABLE = frozenset(
    {
        "digest_channel_id",
        "digest_weekday",
        "digest_hour_utc",
        "ask_scope",
        "debrief_cooldown_s",
        "ask_cooldown_s",
    }
)


class InvalidConfig(DomainError):
    user_message = "Those settings are not valid."


async def update_guild_config(
    cmd: UpdateGuildConfig, *, emit: Emit, guild_configs: GuildConfigRepository, clock: Clock
) -> GuildConfig:
    ensure_admin(cmd.actor, cmd.guild_id)
    unknown = set(cmd.changes) - _EDITABLE
    if unknown:
        raise InvalidConfig(f"Unknown setting: {', '.join(sorted(unknown))}.")
    current = await guild_configs.get(cmd.guild_id)
    merged = {
        **current.model_dump(),
        **cmd.changes,
        "updated_at": clock(),
        "updated_by": cmd.actor.user_id,
    }
    try:
        updated = GuildConfig.model_validate(merged)
    except ValidationError as error:
        fields = ", ".join(str(e["loc"][0]) for e in error.errors())
        raise InvalidConfig(f"Check these settings: {fields}.") from None
    saved = await guild_configs.save(updated)
    emit(GuildConfigUpdated(guild_id=cmd.guild_id))
    return saved
