"""READY and GUILD_CREATE as the gateway sends them."""

from __future__ import annotations

from .gateway_session import GatewaySession
from .models import JSON, Guild
from .state import EmulatorState


def ready_payload(
    state: EmulatorState, session: GatewaySession, guilds: list[Guild], resume_gateway_url: str
) -> JSON:
    """Guilds arrive as unavailable stubs; each is then filled in by its GUILD_CREATE."""
    user = state.bot_user.to_payload()
    user.update(verified=True, mfa_enabled=False, email=None)
    return {
        "v": 10,
        "user": user,
        "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
        "session_id": session.session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_gateway_url,
        "shard": [session.shard_id, session.shard_count],
        "application": {"id": str(state.application.id), "flags": state.application.flags},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
        "user_settings": {},
        "_trace": ["emulator"],
    }


def guild_create_payload(state: EmulatorState, guild: Guild, *, at_startup: bool) -> JSON:
    """`unavailable: false` marks a guild of READY becoming available; a join omits it."""
    bot_member = guild.members.get(state.bot_user.id)
    joined_at = bot_member.joined_at if bot_member else guild.created_at
    payload = guild.create_payload(state.bot_user.id, joined_at)
    if at_startup:
        payload["unavailable"] = False
    return payload
