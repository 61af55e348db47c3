"""Posting on the bot's own initiative: the weekly digest, and notices to admins.

Each method is the one way its outbox kind reaches Discord, for the live send and for a
replay by the outbox consumer alike (`app/core/handlers/digests.py` decides when).
"""

from __future__ import annotations

import discord

from app.bot.channels import DiscordChannelDirectory
from app.bot.discord_limits import add_field, clip, fit
from app.bot.language import language_of_guild
from app.core.analytics import WeekTotals
from app.core.errors import ChannelOutsideServer
from app.core.game.metrics import kd_ratio
from app.core.i18n import _, speaking
from app.core.ports import Announcer
from app.core.wording import counted


def digest_embed(week: str, text: str, totals: WeekTotals) -> discord.Embed:
    embed = discord.Embed(
        title=_("Squad digest · {week}", week=week),
        description=clip(text, 1500),
        colour=discord.Colour.purple(),
    )
    add_field(embed, _("Matches"), str(totals.matches))
    add_field(embed, _("Players"), str(totals.players))
    add_field(embed, _("Wins / losses"), f"{totals.wins} / {totals.losses}")
    add_field(embed, _("Squad K/D"), f"{kd_ratio(totals.kills, totals.deaths):.2f}")
    if totals.top_players:
        top = "\n".join(
            f"<@{row.user_id}> — K/D {row.value:.2f} ({counted(row.matches, 'match')})"
            for row in totals.top_players
        )
        add_field(embed, _("Top of the week"), top, inline=False)
    return fit(embed)


def record_embed(user_id: int, text: str) -> discord.Embed:
    return discord.Embed(description=clip(f"🏆 <@{user_id}> — {text}", 4096), colour=0xF1C40F)


class DiscordAnnouncer(Announcer):
    def __init__(self, client: discord.Client, channels: DiscordChannelDirectory) -> None:
        self._client = client
        self._channels = channels

    async def post_digest(
        self, guild_id: int, channel_id: int, week: str, text: str, totals: WeekTotals
    ) -> None:
        # Checked again at the moment of sending, whatever was checked when it was set: the
        # channel may have been deleted since, or the setting written around the checks.
        channel = await self._channels.fetch(channel_id)
        if channel is None or channel.guild.id != guild_id:
            raise ChannelOutsideServer
        await channel.send(embed=digest_embed(week, text, totals))

    async def post_record(self, guild_id: int, channel_id: int, user_id: int, text: str) -> None:
        channel = await self._channels.fetch(channel_id)
        if channel is None or channel.guild.id != guild_id:
            raise ChannelOutsideServer
        # Names the player without pinging them: the squad is told, the player is not woken.
        await channel.send(
            embed=record_embed(user_id, text), allowed_mentions=discord.AllowedMentions.none()
        )

    async def tell_admin(self, guild_id: int, user_id: int, text: str) -> None:
        guild = self._client.get_guild(guild_id)
        with speaking(await language_of_guild(self._client, guild_id)):
            where = _("Debrief in {server}", server=guild.name) if guild is not None else "Debrief"
        user = self._client.get_user(user_id) or await self._client.fetch_user(user_id)
        await user.send(f"**{where}**: {text}")
