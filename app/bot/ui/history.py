"""/history: a page of matches, what they add up to, and the buttons that turn pages."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from app.bot.discord_limits import add_field, clip, fit
from app.bot.errors import report
from app.bot.language import speak_to
from app.bot.ui.embeds import RESULT_WORDS
from app.core.debriefing.formatting import versus
from app.core.game.metrics import kd_ratio
from app.core.i18n import _
from app.core.matches import Match, MatchPage, MatchTotals, PageCursor
from app.core.wording import Person, capitalised, counted

PAGE_SIZE = 8
FetchPage = Callable[[PageCursor | None], Awaitable[MatchPage]]


@dataclass(frozen=True, slots=True)
class Listing:
    """What stays the same from page to page: whose matches, which filters, their totals."""

    person: Person
    filters: tuple[str, ...]  # what the user narrowed it to, e.g. ("Hardpoint", "Den")
    totals: MatchTotals

    @property
    def title(self) -> str:
        if self.person.is_reader:
            whose = _("Your matches")
        else:
            whose = capitalised(_("{whose} matches", whose=self.person.possessive))
        return " · ".join([whose, *self.filters])

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.totals.matches / PAGE_SIZE))


def match_line(match: Match) -> str:
    stats, player = match.stats, match.stats.player
    # A Discord timestamp: each reader sees the date and time of day in their own time zone.
    return (
        f"{discord.utils.format_dt(match.played_at, 'f')} · {_(RESULT_WORDS[stats.result])} "
        f"{versus(stats.team_score, stats.enemy_score)} · "
        f"K/D {kd_ratio(player.kills, player.deaths):.2f} · "
        + _("score {score:,}", score=player.score)
        + f"\n`{match.id}`"
    )


def summary_line(totals: MatchTotals) -> str:
    """ "12 matches · 7 won, 4 lost, 1 drawn (58% won) · K/D 1.12"."""
    results = _("{wins} won, {losses} lost", wins=totals.wins, losses=totals.losses)
    if totals.draws:
        results += _(", {draws} drawn", draws=totals.draws)
    rate = round((totals.win_rate or 0) * 100)
    return _(
        "**{matches}** · {results} ({rate}% won) · K/D {kd:.2f}",
        matches=counted(totals.matches, "match"),
        results=results,
        rate=rate,
        kd=totals.kd or 0,
    )


def nothing_found(listing: Listing) -> str:
    if listing.filters:
        return _("No matches match these filters. Try /history without the mode or map.")
    if listing.person.is_reader:
        return _("You have no matches yet. Post one with /debrief or /log.")
    return _("{name} has no matches yet. Post one with /debrief or /log.", name=listing.person.name)


def history_embed(listing: Listing, page: MatchPage, number: int) -> discord.Embed:
    embed = discord.Embed(title=clip(listing.title, 256), colour=discord.Colour.blurple())
    if not page.matches:
        embed.description = nothing_found(listing)
        return embed
    embed.description = summary_line(listing.totals)
    for match in page.matches:
        add_field(
            embed,
            f"{_(match.stats.mode.display_name)} · {match.stats.map}",
            match_line(match),
            inline=False,
        )
    embed.set_footer(text=_("Page {number} of {pages}", number=number, pages=listing.pages))
    return fit(embed)


class HistoryPager(discord.ui.View):
    """Newer/Older buttons over a cursor stack; pages are fetched on demand, never cached."""

    def __init__(self, listing: Listing, fetch: FetchPage, first: MatchPage) -> None:
        super().__init__(timeout=600)
        self.listing = listing
        self.fetch = fetch
        self.cursors: list[PageCursor | None] = [None]
        self.page = first
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        self.newer.label, self.older.label = _("Newer"), _("Older")
        self._sync_buttons()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        await speak_to(interaction)
        return True

    def embed(self) -> discord.Embed:
        return history_embed(self.listing, self.page, len(self.cursors))

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
