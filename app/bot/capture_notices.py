"""Telling a squad mate that a match was recorded for them from another member's upload.

A DM with the match, Fix and Not me. Where the member's DMs are closed (Discord answers 403,
code 50007), the same in the upload's channel, naming them without a mention. The live send and
the outbox consumer's replay both come here (`app/core/handlers/squad.py` decides when), so
the notice speaks the server's language whoever sends it: the uploader's interaction's when
live, the server's setting when replayed.
"""

from __future__ import annotations

import logging

import discord

from app.bot.channels import DiscordChannelDirectory
from app.bot.discord_limits import CONTENT, clip
from app.bot.language import language_of_guild
from app.bot.ui.embeds import match_embed
from app.bot.ui.match_actions import match_actions
from app.core.errors import DomainError
from app.core.i18n import N_, speaking
from app.core.matches import Match
from app.core.ports import CaptureNotifier
from app.core.squad import wording
from app.core.squad.notices import CaptureNotice

logger = logging.getLogger(__name__)


class NoticeChannelGone(DomainError):
    """DMs closed and the upload's channel gone: nowhere left to tell them; retrying can't help."""

    user_message = N_("The member's DMs are closed and the upload's channel is gone.")


class DiscordCaptureNotices(CaptureNotifier):
    def __init__(self, client: discord.Client, channels: DiscordChannelDirectory) -> None:
        self._client = client
        self._channels = channels

    async def tell_captured(self, notice: CaptureNotice, match: Match) -> None:
        with speaking(await language_of_guild(self._client, notice.guild_id)):
            await self._tell(notice, match)

    async def _tell(self, notice: CaptureNotice, match: Match) -> None:
        user = self._client.get_user(notice.user_id) or await self._client.fetch_user(
            notice.user_id
        )
        try:
            await user.send(
                clip(wording.captured_notice(notice.uploader_id, _shown(notice)), CONTENT),
                embed=match_embed(match, None),
                view=match_actions(match),
            )
            return
        except discord.Forbidden:
            logger.info("DMs of a captured member are closed; telling them in the channel")
        await self._in_channel(notice, match)

    async def _in_channel(self, notice: CaptureNotice, match: Match) -> None:
        channel = await self._channels.fetch(notice.channel_id)
        if channel is None or channel.guild.id != notice.guild_id:
            raise NoticeChannelGone
        line = wording.captured_channel_line(notice.user_id, notice.uploader_id, _shown(notice))
        await channel.send(
            clip(line, CONTENT),
            embed=match_embed(match, None),
            view=match_actions(match),
            # Names them without a ping: the squad's channel is not woken for one member.
            allowed_mentions=discord.AllowedMentions.none(),
        )


def _shown(notice: CaptureNotice) -> str:
    """The name as read off a scoreboard: shown as typed, never as Discord formatting."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(notice.gamertag))
