"""The reply a /debrief or /log owes, on record before any work starts.

    async with owed_reply(bot.bus, interaction, match_interaction_id=interaction.id) as owed:
        uploads = ...                                   # any failure here is covered too
        await bot.bus.handle(AnalyzeScreenshots(..., reply=owed))

Entering puts the reply on record (`OweMatchReply`), leased to this process. The work's
events send it once the match and its debrief exist (`app/core/handlers/replies.py`). If the
block fails, no match was saved (saving is the work's last step), the error handler tells the
player why, and the reply is closed (`AbandonMatchReply`). If this process dies, the lease
runs out and any bot process's outbox consumer replays it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import discord

from app.core.bus import MessageBus
from app.core.commands import AbandonMatchReply, OweMatchReply
from app.core.replies import TOKEN_LIFETIME, MatchReplyRequest, OwedReply, reply_lease
from app.shared.gemini import RetryPolicy
from app.shared.settings import Settings

logger = logging.getLogger(__name__)


@asynccontextmanager
async def owed_reply(
    bus: MessageBus, interaction: discord.Interaction, *, match_interaction_id: int
) -> AsyncIterator[OwedReply]:
    owed: OwedReply = await bus.handle(
        OweMatchReply(request=request_for(interaction, match_interaction_id))
    )
    try:
        yield owed
    except Exception:
        await _abandon(bus, owed)
        raise


async def _abandon(bus: MessageBus, owed: OwedReply) -> None:
    try:
        await bus.handle(AbandonMatchReply(reply=owed))
    except Exception:  # noqa: BLE001 - the player was told; the replay tells them again
        # Harmless: once the lease runs out, the outbox finds no match and tells the player
        # that nothing was saved, as the error message did.
        logger.warning("could not close the reply %s of a failed command", owed.message_id)


def request_for(interaction: discord.Interaction, match_interaction_id: int) -> MatchReplyRequest:
    return MatchReplyRequest(
        interaction_id=interaction.id,
        application_id=interaction.application_id,
        interaction_token=interaction.token,
        token_expires_at=interaction.created_at + TOKEN_LIFETIME,
        # /debrief and /log are guild-only: both ids are always there.
        guild_id=interaction.guild_id or 0,
        channel_id=interaction.channel_id or 0,
        user_id=interaction.user.id,
        match_interaction_id=match_interaction_id,
    )


def lease_for(settings: Settings, retry: RetryPolicy | None = None) -> timedelta:
    """The lease for this process's replies, from how long its AI calls may take."""
    policy = retry or RetryPolicy()
    return reply_lease(
        timedelta(milliseconds=settings.gemini_timeout_ms),
        policy.attempts,
        timedelta(seconds=policy.max_delay_s),
    )
