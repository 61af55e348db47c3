"""Posting into channels on the bot's own initiative: the weekly digest."""

from __future__ import annotations

import discord

from app.bot.ui.limits import add_field, clip, fit
from app.core.analytics import WeekTotals
from app.core.game.metrics import kd_ratio
from app.core.ports import Announcer


def digest_embed(week: str, text: str, totals: WeekTotals) -> discord.Embed:
    embed = discord.Embed(
        title=f"Squad digest · {week}", description=clip(text, 1500), colour=discord.Colour.purple()
    )
    add_field(embed, "Matches", str(totals.matches))
    add_field(embed, "Players", str(totals.players))
    add_field(embed, "Wins / losses", f"{totals.wins} / {totals.losses}")
    add_field(embed, "Squad K/D", f"{kd_ratio(totals.kills, totals.deaths):.2f}")
    if totals.top_players:
        top = "\n".join(
            f"<@{row.user_id}> — K/D {row.value:.2f} ({row.matches} matches)"
            for row in totals.top_players
        )
        add_field(embed, "Top of the week", top, inline=False)
    return fit(embed)


class DiscordAnnouncer(Announcer):
    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def post_digest(self, channel_id: int, week: str, text: str, totals: WeekTotals) -> None:
        channel = self._client.get_channel(channel_id) or await self._client.fetch_channel(
            channel_id
        )
        if not isinstance(channel, discord.abc.Messageable):
            raise TypeError(f"channel {channel_id} cannot receive messages")
        await channel.send(embed=digest_embed(week, text, totals))
