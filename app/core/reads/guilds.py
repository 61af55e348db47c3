"""A server's settings and the commands queued for the bot: reads for its admins."""

from __future__ import annotations

from pydantic import ValidationError

from app.core.actors import Actor, ensure_member_admin
from app.core.cross_process import PostDigestRequest
from app.core.errors import NotFound
from app.core.guilds import GuildConfig
from app.core.i18n import _
from app.core.outbox import POST_DIGEST_KIND, OutboxMessage
from app.core.ports import GuildConfigRepository, OutboxRepository

# The kinds a user may follow; other outbox work (replies) is internal.
FOLLOWABLE_COMMAND_KINDS = frozenset({POST_DIGEST_KIND})


async def guild_settings(
    guild_configs: GuildConfigRepository, actor: Actor, guild_id: int
) -> GuildConfig:
    """The server's settings, for its admins; to a non-member, the server was not found."""
    ensure_member_admin(actor, guild_id)
    return await guild_configs.get(guild_id)


async def visible_command(outbox: OutboxRepository, actor: Actor, command_id: str) -> OutboxMessage:
    """A command the actor asked for, or one of a server they manage; else not found."""
    message = await outbox.get(command_id)
    if (
        message is None
        or message.kind not in FOLLOWABLE_COMMAND_KINDS
        or not _may_follow(actor, message)
    ):
        raise NotFound(_("No command with that id."))
    return message


def _may_follow(actor: Actor, message: OutboxMessage) -> bool:
    try:
        request = PostDigestRequest.model_validate(message.payload)
    except ValidationError:
        return False  # not a command anyone asked for in this shape: nobody may follow it
    return request.requested_by == actor.user_id or actor.is_admin_of(request.guild_id)
