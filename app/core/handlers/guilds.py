"""Handlers for per-server settings."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from app.core.actors import ensure_admin
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import UpdateGuildConfig
from app.core.errors import ChannelOutsideServer, DomainError
from app.core.game.problems import describe_input
from app.core.guilds import GuildConfig, setting_name
from app.core.i18n import N_, _
from app.core.ports import ChannelDirectory, GuildConfigRepository

# Fields an admin may change; identity and audit fields are set here, never by the caller.
_EDITABLE = frozenset(
    {
        "digest_channel_id",
        "digest_weekday",
        "digest_hour_utc",
        "ask_scope",
        "debrief_cooldown_s",
        "ask_cooldown_s",
        "announce_bests",
        "language",
    }
)


class InvalidConfig(DomainError):
    user_message = N_("Those settings are not valid.")

    def __init__(
        self, user_message: str | None = None, problems: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(user_message)
        # (setting, what is wrong with it), for a form to show next to each input.
        self.problems = tuple(problems)


async def update_guild_config(
    cmd: UpdateGuildConfig,
    *,
    emit: Emit,
    guild_configs: GuildConfigRepository,
    channels: ChannelDirectory,
    clock: Clock,
) -> GuildConfig:
    ensure_admin(cmd.actor, cmd.guild_id)
    unknown = set(cmd.changes) - _EDITABLE
    if unknown:
        raise InvalidConfig(_("Unknown setting: {names}.", names=", ".join(sorted(unknown))))
    await _ensure_own_channel(channels, cmd.guild_id, cmd.changes.get("digest_channel_id"))
    current = await guild_configs.get(cmd.guild_id)
    merged = {
        **current.model_dump(),
        **cmd.changes,
        "updated_at": clock(),
        "updated_by": cmd.actor.user_id,
    }
    if "digest_channel_id" in cmd.changes:
        merged["digest_problem"] = None  # the admin has chosen again
    try:
        updated = GuildConfig.model_validate(merged)
    except ValidationError as error:
        raise _invalid(error) from None
    return await guild_configs.save(updated)


async def _ensure_own_channel(channels: ChannelDirectory, guild_id: int, channel: object) -> None:
    """A server's settings may name only that server's channels: an admin of one server must
    not make the bot post into another (Discord's picker offers only the server's channels,
    but the API and a forged interaction can send any id)."""
    if channel is None:
        return
    if isinstance(channel, bool) or not isinstance(channel, int):
        problem = ("digest_channel_id", "expected a channel id")
        raise InvalidConfig(
            _("Check these settings: {listed}.", listed=setting_name(problem[0])), [problem]
        )
    if await channels.guild_of(channel) != guild_id:
        raise ChannelOutsideServer


def _invalid(error: ValidationError) -> InvalidConfig:
    """Every refused setting by the name /config gives it, for the bot's reply and the API's
    detail; and each by its field, for a form to show beside its input."""
    problems = [(str(e["loc"][0]), describe_input(e)) for e in error.errors()]
    listed = "; ".join(f"{setting_name(field)}: {message}" for field, message in problems)
    return InvalidConfig(_("Check these settings: {listed}.", listed=listed), problems)
