"""The outbox kinds the bot consumes, and the bus command each one becomes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.core.commands import PostDigest
from app.core.messages import Command
from app.core.outbox import POST_DIGEST_KIND, OutboxMessage


class PostDigestRequest(BaseModel):
    """The payload the API writes for "post this server's digest now"."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    requested_by: int | None = None


def _post_digest(payload: Mapping[str, Any]) -> PostDigest:
    request = PostDigestRequest.model_validate(payload)
    return PostDigest(guild_id=request.guild_id, requested_by=request.requested_by)


_COMMANDS: Mapping[str, Callable[[Mapping[str, Any]], Command]] = {
    POST_DIGEST_KIND: _post_digest,
}
BOT_COMMAND_KINDS = frozenset(_COMMANDS)


def command_for(message: OutboxMessage) -> Command:
    """The bus command a message asks for; pydantic's ValidationError if it is malformed.

    Only kinds in BOT_COMMAND_KINDS are ever claimed, so an unknown kind is a KeyError (a bug).
    """
    return _COMMANDS[message.kind](message.payload)
