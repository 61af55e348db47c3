"""The one way a /debrief or /log reply reaches Discord, live or replayed from the outbox.

Everything goes through the interaction's webhook, built from the token on record, so the
process that received the interaction and one that replays its reply after a restart send the
very same requests. What to send, and when to fall back to the channel, is decided in
`app/core/handlers/replies.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import discord
from discord.webhook.async_ import async_context

from app.bot.discord_limits import CONTENT, clip
from app.bot.language import language_of_guild
from app.bot.ui.embeds import match_embed
from app.bot.ui.match_actions import match_actions
from app.core.debriefs import Debrief
from app.core.i18n import _, speaking
from app.core.matches import Match
from app.core.ports import MatchReplySender
from app.core.replies import NOT_SAVED_NOTICE, MatchReplyRequest, channel_line, saved_line
from app.core.squad.wording import also_recorded

if TYPE_CHECKING:
    # Only a type: importing it at run time trips over discord.types' import cycle.
    from discord.types.webhook import Webhook as WebhookPayload

logger = logging.getLogger(__name__)

# Discord's answers to a follow-up whose interaction token has expired or is unknown.
TOKEN_REFUSED: Final = frozenset({401, 404})


class DiscordMatchReplies(MatchReplySender):
    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def follow_up(
        self,
        request: MatchReplyRequest,
        match: Match,
        debrief: Debrief | None,
        captured: Sequence[Match] = (),
    ) -> bool:
        # Live or replayed by another process, a reply speaks its server's language.
        with speaking(await language_of_guild(self._client, request.guild_id)):
            return await self._follow_up(request, match, debrief, captured)

    async def _follow_up(
        self,
        request: MatchReplyRequest,
        match: Match,
        debrief: Debrief | None,
        captured: Sequence[Match],
    ) -> bool:
        webhook = self._webhook(request)
        try:
            await webhook.send(
                embed=match_embed(match, debrief), view=match_actions(match), wait=True
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
            await self._replace_ack(webhook, saved_line(match.id) + _also(captured))
        except discord.HTTPException:
            # The match is out for everyone to see; sending it again would be worse.
            logger.warning("could not tell the player privately that match %s is saved", match.id)
        return True

    async def post_in_channel(
        self,
        request: MatchReplyRequest,
        match: Match,
        debrief: Debrief | None,
        captured: Sequence[Match] = (),
    ) -> None:
        with speaking(await language_of_guild(self._client, request.guild_id)):
            await self._post_in_channel(request, match, debrief, captured)

    async def _post_in_channel(
        self,
        request: MatchReplyRequest,
        match: Match,
        debrief: Debrief | None,
        captured: Sequence[Match],
    ) -> None:
        channel = self._client.get_partial_messageable(
            request.channel_id, guild_id=request.guild_id
        )
        await channel.send(
            channel_line(request.user_id, match.id) + _also(captured),
            embed=match_embed(match, debrief),
            view=match_actions(match),
            # Mention the player: their reply came late and they may have moved on.
            allowed_mentions=discord.AllowedMentions(users=[discord.Object(request.user_id)]),
        )

    async def tell_not_saved(self, request: MatchReplyRequest) -> None:
        with speaking(await language_of_guild(self._client, request.guild_id)):
            await self._replace_ack(self._webhook(request), _(NOT_SAVED_NOTICE))

    def _webhook(self, request: MatchReplyRequest) -> discord.Webhook:
        # What `Interaction.followup` builds: an application webhook (so a message can be
        # private), bound to the client's state (so the buttons under a match are dispatched).
        payload: WebhookPayload = {
            "id": request.application_id,
            "type": 3,
            "token": request.interaction_token,
        }
        return discord.Webhook.from_state(payload, self._client._connection)

    @staticmethod
    async def _replace_ack(webhook: discord.Webhook, text: str) -> None:
        # What `Interaction.edit_original_response` sends (PATCH .../messages/@original), from
        # the token alone: a replaying process has no Interaction object. The acknowledgement
        # was private, so the line that replaces it is too.
        await async_context.get().edit_original_interaction_response(
            webhook.id,
            webhook.token or "",
            session=webhook.session,
            proxy=webhook.proxy,
            proxy_auth=webhook.proxy_auth,
            payload={"content": clip(text, CONTENT)},
        )


def _also(captured: Sequence[Match]) -> str:
    """ " Also recorded for 2 squad mates: Viper_21, Ghost." when the upload captured any."""
    names = [discord.utils.escape_markdown(m.stats.player.gamertag or "?") for m in captured]
    return discord.utils.escape_mentions(also_recorded(names))
