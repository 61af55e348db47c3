"""/history, /trend and /leaderboard: reads through the read layer (`app.core.reads`); this cog
only turns its answers into embeds and charts."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from app.bot.actors import actor_of
from app.bot.choices import MODE_CHOICES, PERIOD_CHOICES, STAT_CHOICES
from app.bot.client import DebriefBot
from app.bot.replies import Reply
from app.bot.ui.boards import leaderboard_embed, too_few_for_a_trend, trend_embed, trend_title
from app.bot.ui.history import PAGE_SIZE, HistoryPager, Listing
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.i18n import _
from app.core.matches import MatchPage, PageCursor
from app.core.reads.matches import MatchQuery, match_page, match_totals, visible_filter
from app.core.reads.options import DEFAULT_LEADERBOARD_PERIOD, Period
from app.core.reads.stats import ROLLING_WINDOW, leaderboard, trend
from app.core.wording import Person


class Stats(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        # Charts are drawn in the bot's one worker process: matplotlib never loads in the bot.
        self.charts = bot.charts

    @app_commands.command(name="history")
    @app_commands.guild_only()
    @app_commands.describe(
        player="Whose matches (default: yours)", mode="Only this mode", map="Only this map"
    )
    @app_commands.choices(mode=MODE_CHOICES)
    async def history(
        self,
        interaction: discord.Interaction,
        player: discord.User | None = None,
        mode: app_commands.Choice[str] | None = None,
        map: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        """Your recent matches (or a squadmate's), newest first."""
        reply = Reply(interaction)
        await reply.ack(_("Fetching matches…"))
        who = player or interaction.user
        deps = self.bot.runtime.dependencies
        query = MatchQuery(
            guild_id=interaction.guild_id,
            user_id=who.id,
            mode=Mode(mode.value) if mode else None,
            map=map,
        )
        where = visible_filter(actor_of(interaction), query, deps.catalog)

        async def fetch(cursor: PageCursor | None) -> MatchPage:
            return await match_page(deps.matches, where, limit=PAGE_SIZE, after=cursor)

        filters = tuple(f for f in (where.mode and where.mode.display_name, where.map) if f)
        listing = Listing(
            person_of(interaction, who), filters, await match_totals(deps.matches, where)
        )
        pager = HistoryPager(listing, fetch, await fetch(None))
        pager.message = await reply.public(embed=pager.embed(), view=pager)
        await reply.private(_("Here you go."))

    @app_commands.command(name="trend")
    @app_commands.guild_only()
    @app_commands.describe(
        stat="What to chart",
        player="Whose (default: yours)",
        mode="Only this mode (default: every mode the stat has)",
        last=f"How many matches, {ROLLING_WINDOW}-100: at least {ROLLING_WINDOW} to fill the "
        f"{ROLLING_WINDOW}-match average line",
    )
    @app_commands.choices(stat=STAT_CHOICES, mode=MODE_CHOICES)
    async def trend(
        self,
        interaction: discord.Interaction,
        stat: app_commands.Choice[str],
        player: discord.User | None = None,
        mode: app_commands.Choice[str] | None = None,
        last: app_commands.Range[int, ROLLING_WINDOW, 100] = 20,
    ) -> None:
        """A chart of one stat over your last matches, with its rolling average."""
        reply = Reply(interaction)
        await reply.ack(_("Drawing your chart…"))
        who = person_of(interaction, player or interaction.user)
        chosen = Stat(stat.value)
        series = await trend(
            self.bot.runtime.dependencies.analytics,
            actor_of(interaction),
            chosen,
            last=last,
            user_id=(player or interaction.user).id,
            guild_id=interaction.guild_id,
            mode=Mode(mode.value) if mode else None,
        )
        points = series.points
        if len(points) < 2:
            await reply.private(too_few_for_a_trend(chosen, who, len(points), series.mode))
            return
        title = trend_title(chosen, who, len(points), series.mode)
        chart = await self.charts.trend_chart(
            points, title=title, stat=chosen, rolling=ROLLING_WINDOW
        )
        file = discord.File(io.BytesIO(chart), filename="trend.png")
        await reply.public(embed=trend_embed(title), file=file)
        await reply.private(_("Chart posted."))

    @app_commands.command(name="leaderboard")
    @app_commands.guild_only()
    @app_commands.describe(stat="Rank by", period="Over which period", mode="Only this mode")
    @app_commands.choices(stat=STAT_CHOICES, period=PERIOD_CHOICES, mode=MODE_CHOICES)
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        stat: app_commands.Choice[str],
        period: app_commands.Choice[str] | None = None,
        mode: app_commands.Choice[str] | None = None,
    ) -> None:
        """This server's leaderboard for one stat."""
        reply = Reply(interaction)
        await reply.ack(_("Ranking…"))
        deps = self.bot.runtime.dependencies
        board = await leaderboard(
            deps.analytics,
            deps.clock,
            actor_of(interaction),
            interaction.guild_id or 0,
            Stat(stat.value),
            seasons=deps.seasons,
            period=Period(period.value) if period else DEFAULT_LEADERBOARD_PERIOD,
            mode=Mode(mode.value) if mode else None,
        )
        await reply.public(embed=leaderboard_embed(board))
        await reply.private(_("Leaderboard posted."))


def person_of(interaction: discord.Interaction, who: discord.User | discord.Member) -> Person:
    """The player a reply is about: "you" to the one who asked, their name to anyone else."""
    return Person(who.display_name, is_reader=who.id == interaction.user.id)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Stats(bot))
