"""/history: a page of matches and the buttons that turn pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from app.bot.discord_limits import add_field, clip, fit
from app.bot.errors import report
from app.bot.ui.embeds import RESULT_WORDS
from app.core.game.metrics import kd_ratio
from app.core.matches import Match, MatchPage, PageCursor

PAGE_SIZE = 8
FetchPage = Callable[[PageCursor | None], Awaitable[MatchPage]]


def match_line(match: Match) -> str:
    stats, player = match.stats, match.stats.player
    return (
        f"{discord.utils.format_dt(match.played_at, 'd')} · {RESULT_WORDS[stats.result]} "
        f"{stats.team_score}–{stats.enemy_score} · K/D {kd_ratio(player.kills, player.deaths):.2f}"
        f" · {player.score:,} pts\n`{match.id}`"
    )


def history_embed(title: str, page: MatchPage, number: int) -> discord.Embed:
    embed = discord.Embed(title=clip(title, 256), colour=discord.Colour.blurple())
    if not page.matches:
        embed.description = "No matches yet. Post one with /debrief or /log."
    for match in page.matches:
        add_field(
            embed,
            f"{match.stats.mode.display_name} · {match.stats.map}",
            match_line(match),
            inline=False,
        )
    embed.set_footer(text=f"Page {number}")
    return fit(embed)


class HistoryPager(discord.ui.View):
    """Newer/Older buttons over a cursor stack; pages are fetched on demand, never cached."""

    def __init__(self, title: str, fetch: FetchPage, first: MatchPage) -> None:
        super().__init__(timeout=600)
        self.title = title
        self.fetch = fetch
        self.cursors: list[PageCursor | None] = [None]
        self.page = first
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        self._sync_buttons()

    def embed(self) -> discord.Embed:
        return history_embed(self.title, self.page, len(self.cursors))

    def _sync_buttons(self) -> None:
        self.newer.disabled = len(self.cursors) == 1
        self.older.disabled = self.page.next_cursor is None

    async def _show(self, interaction: discord.Interaction) -> None:
        self.page = await self.fetch(self.cursors[-1])
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Newer", style=discord.ButtonStyle.secondary)
    async def newer(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.cursors.pop()
        await self._show(interaction)

    @discord.ui.button(label="Older", style=discord.ButtonStyle.secondary)
    async def older(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.cursors.append(self.page.next_cursor)
        await self._show(interaction)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                return

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report(interaction, error)
