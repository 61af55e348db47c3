"""JSON views of the emulator's state for the control API."""

from __future__ import annotations

from collections.abc import Iterable

from .core import EmulatorCore
from .interactions import InteractionRecord
from .messages import Message
from .models import JSON


def state_view(core: EmulatorCore) -> JSON:
    state = core.state
    return {
        "base_url": core.base_url,
        "api_base_url": core.api_base_url,
        "gateway_url": core.gateway.gateway_url,
        "application": {"id": str(state.application.id), "name": state.application.name},
        "bot_user": state.bot_user.to_payload(),
        "oauth_user_id": str(core.oauth.user_id),
        "guilds": [
            {
                "id": str(guild.id),
                "name": guild.name,
                "channels": [channel.to_payload() for channel in guild.channels.values()],
                "members": [guild.member_payload(user_id) for user_id in guild.members],
                "roles": [role.to_payload() for role in guild.roles.values()],
                "commands": state.commands(guild.id),
            }
            for guild in state.guilds.values()
        ],
        "global_commands": state.commands(None),
        "sessions": [
            {
                "session_id": s.session_id,
                "shard": [s.shard_id, s.shard_count],
                "connected": s.connection is not None,
                "seq": s.seq,
            }
            for s in core.gateway.sessions
        ],
    }


def interaction_view(core: EmulatorCore, record: InteractionRecord) -> JSON:
    original = (
        core.state.messages.get(record.original_message_id)
        if record.original_message_id is not None
        else None
    )
    return {
        "id": str(record.id),
        "type": record.type,
        "callback_type": record.callback_type,
        "modal": record.modal,
        "original_message": None if original is None else core.messages.payload(original),
        "followups": message_views(core, record.followup_messages()),
        "responses": [
            {
                "kind": response.kind,
                "at": response.at,
                "callback_type": response.callback_type,
                "payload": response.payload,
                "message_id": None if response.message is None else str(response.message.id),
            }
            for response in record.responses
        ],
    }


def message_views(core: EmulatorCore, messages: Iterable[Message]) -> list[JSON]:
    return [core.messages.payload(message) for message in messages]
