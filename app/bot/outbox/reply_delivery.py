"""Delivering a match reply that the process which received the interaction did not send.

That process died, or handed the reply over after Discord failed it. The reply goes out as the
live process would have sent it (the public match with its buttons, then the private "saved"
line) while the interaction token lives; once Discord no longer accepts the token, the match
is posted in the channel instead, naming the player. A reply whose command never saved a match
tells the player so, privately, while it still can.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Final

import discord
from pydantic import ValidationError

from app.bot.outbox.delivery import MALFORMED, judged
from app.bot.outbox.match_replies import (
    NOT_SAVED_NOTICE,
    MatchReplyRequest,
    channel_line,
    saved_line,
)
from app.bot.outbox.outcomes import Delivered, Failed, Outcome
from app.bot.ui.embeds import match_embed
from app.bot.ui.match_actions import match_actions
from app.core.bus import MessageBus
from app.core.clock import Clock
from app.core.debriefs import Debrief
from app.core.events import MatchSaved
from app.core.matches import Match
from app.core.outbox import OutboxMessage
from app.core.ports import DebriefRepository, MatchRepository

if TYPE_CHECKING:
    # Only a type: importing it at run time trips over discord.types' import cycle.
    from discord.types.webhook import Webhook as WebhookPayload

logger = logging.getLogger(__name__)

# A token this close to its end may die in flight: post in the channel instead.
TOKEN_MARGIN: Final = timedelta(seconds=30)
# Discord's answers to a follow-up whose interaction token has expired or is unknown.
TOKEN_REFUSED: Final = frozenset({401, 404})
NO_ONE_TO_TELL: Final = "No match was saved, and the interaction can no longer be answered."


class MatchReplyDelivery:
    def __init__(
        self,
        client: discord.Client,
        bus: MessageBus,
        *,
        matches: MatchRepository,
        debriefs: DebriefRepository,
        clock: Clock,
    ) -> None:
        self._client = client
        self._bus = bus
        self._matches = matches
        self._debriefs = debriefs
        self._clock = clock

    async def __call__(self, message: OutboxMessage) -> Outcome:
        try:
            request = MatchReplyRequest.model_validate(message.payload)
        except ValidationError:
            return Failed(MALFORMED)
        try:
            return await self._deliver(request)
        except Exception as error:  # noqa: BLE001 - judged() logs the unforeseen
            return judged(error, message)

    async def _deliver(self, request: MatchReplyRequest) -> Outcome:
        match = await self._matches.find_by_interaction(request.match_interaction_id)
        token_lives = request.token_expires_at - TOKEN_MARGIN > self._clock()
        if match is None:
            if not token_lives:
                return Failed(NO_ONE_TO_TELL)
            await self._webhook(request).send(NOT_SAVED_NOTICE, ephemeral=True, wait=True)
            return Delivered()
        debrief = await self._debrief_of(match)
        if not (token_lives and await self._follow_up(request, match, debrief)):
            await self._post_in_channel(request, match, debrief)
        return Delivered()

    async def _debrief_of(self, match: Match) -> Debrief | None:
        debrief = await self._debriefs.get_for_match(match.id)
        if debrief is None:
            # The live process died before writing it. Replaying the event runs the same
            # subscriber it would have run: the AI's debrief, or the template's.
            await self._bus.publish(
                MatchSaved(match_id=match.id, guild_id=match.guild_id, user_id=match.user_id)
            )
            debrief = await self._debriefs.get_for_match(match.id)
        return debrief

    async def _follow_up(
        self, request: MatchReplyRequest, match: Match, debrief: Debrief | None
    ) -> bool:
        """Answer through the interaction; False when Discord no longer takes its token."""
        webhook = self._webhook(request)
        try:
            await webhook.send(
                embed=match_embed(match, debrief), view=match_actions(match.id), wait=True
            )
        except discord.HTTPException as error:
            if error.status not in TOKEN_REFUSED:
                raise
            logger.info(
                "interaction %s can no longer be answered (HTTP %d); posting in the channel",
                request.interaction_id,
                error.status,
            )
            return False
        try:
            await webhook.send(saved_line(match.id), ephemeral=True, wait=True)
        except discord.HTTPException:
            # The match is out for everyone to see; sending it again would be worse.
            logger.warning("could not tell the player privately that match %s is saved", match.id)
        return True

    async def _post_in_channel(
        self, request: MatchReplyRequest, match: Match, debrief: Debrief | None
    ) -> None:
        channel = self._client.get_partial_messageable(
            request.channel_id, guild_id=request.guild_id
        )
        await channel.send(
            channel_line(request.user_id, match.id),
            embed=match_embed(match, debrief),
            view=match_actions(match.id),
            # Mention the player: their reply came late and they may have moved on.
            allowed_mentions=discord.AllowedMentions(users=[discord.Object(request.user_id)]),
        )

    def _webhook(self, request: MatchReplyRequest) -> discord.Webhook:
        # What `Interaction.followup` builds: an application webhook (so a message can be
        # private), bound to the client's state (so the buttons under a match are dispatched).
        payload: WebhookPayload = {
            "id": request.application_id,
            "type": 3,
            "token": request.interaction_token,
        }
        return discord.Webhook.from_state(payload, self._client._connection)
