"""The reply a /debrief or /log owes, on record in the outbox before any work starts.

    async with replies.owe(interaction, match_interaction_id=interaction.id) as owed:
        match = await bus.handle(...)
        await owed.publish(reply, match)

Entering writes the reply down with a lease (see `app/bot/outbox/match_replies.py`): until it
runs out, no outbox consumer touches it, because this process is about to answer. Then:

- the public reply goes out → the message is marked delivered, then the private line is sent;
- the command fails before saving a match → the message is closed as failed, and the error
  handler's message is the reply;
- the reply itself fails (Discord down, a database blip) → the message is handed over to the
  outbox at once, which retries until it is delivered;
- this process dies, or is cancelled → the lease runs out and any bot process delivers it.

Delivery is at least once: if the process dies after the public reply but before it is marked
delivered, the reply is sent again after the lease. That window is a single database write.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import discord
from pymongo.errors import PyMongoError

from app.bot.outbox.match_replies import (
    NOTHING_SAVED,
    TOKEN_LIFETIME,
    MatchReplyRequest,
    match_reply,
    reply_lease,
    saved_line,
)
from app.bot.replies import Reply
from app.bot.ui.embeds import match_embed
from app.bot.ui.match_actions import match_actions
from app.core.clock import Clock
from app.core.matches import Match
from app.core.outbox import OutboxMessage
from app.core.ports import DebriefRepository, OutboxRepository
from app.shared.gemini import RetryPolicy
from app.shared.settings import Settings

logger = logging.getLogger(__name__)

HANDED_OVER = "The live reply failed; the outbox delivers it."


class OwedReplies:
    def __init__(
        self,
        outbox: OutboxRepository,
        debriefs: DebriefRepository,
        *,
        clock: Clock,
        lease: timedelta,
    ) -> None:
        self._outbox = outbox
        self._debriefs = debriefs
        self._clock = clock
        self._lease = lease

    @asynccontextmanager
    async def owe(
        self, interaction: discord.Interaction, *, match_interaction_id: int
    ) -> AsyncIterator[OwedReply]:
        """Write the reply down; close it as failed if the block fails before publishing."""
        message = await self._outbox.enqueue(
            match_reply(
                request_for(interaction, match_interaction_id),
                now=self._clock(),
                lease=self._lease,
            )
        )
        owed = OwedReply(message, self._outbox, self._debriefs, self._clock)
        try:
            yield owed
        except Exception:
            if not owed.published:
                await owed.close_unsaved()
            raise


class OwedReply:
    """One reply on record; `publish` sends it once the match is saved."""

    def __init__(
        self,
        message: OutboxMessage,
        outbox: OutboxRepository,
        debriefs: DebriefRepository,
        clock: Clock,
    ) -> None:
        self.message = message
        self.published = False
        self._outbox = outbox
        self._debriefs = debriefs
        self._clock = clock

    async def publish(self, reply: Reply, match: Match) -> None:
        # From here on the match is saved: whatever happens, the reply stays owed.
        self.published = True
        try:
            debrief = await self._debriefs.get_for_match(match.id)
            await reply.public(embed=match_embed(match, debrief), view=match_actions(match.id))
        except Exception:
            logger.warning(
                "replying with match %s failed; handing the reply to the outbox",
                match.id,
                exc_info=True,
            )
            await self._hand_over()
            return
        await self._mark_delivered()
        await reply.private(saved_line(match.id))

    async def close_unsaved(self) -> None:
        try:
            await self._outbox.mark_failed(self.message.id, NOTHING_SAVED)
        except PyMongoError:
            # Harmless: once the lease runs out, the outbox finds no match and tells the
            # player that nothing was saved, as the error message did.
            logger.warning("could not close the reply %s of a failed command", self.message.id)

    async def _hand_over(self) -> None:
        try:
            await self._outbox.retry_later(self.message.id, self._clock(), HANDED_OVER)
        except PyMongoError:
            logger.warning(
                "could not hand the reply %s to the outbox; it is delivered when its lease "
                "runs out",
                self.message.id,
            )

    async def _mark_delivered(self) -> None:
        try:
            await self._outbox.mark_delivered(self.message.id, self._clock())
        except PyMongoError:
            logger.warning(
                "reply %s was sent but could not be marked delivered; it may be sent again "
                "when its lease runs out",
                self.message.id,
            )


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
