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
from app.bot.discord_limits import clip, fit
from app.bot.replies import Reply
from app.bot.ui.history import PAGE_SIZE, HistoryPager
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.matches import MatchPage, PageCursor
from app.core.reads.matches import MatchQuery, match_page, visible_filter
from app.core.reads.options import DEFAULT_LEADERBOARD_PERIOD, Period
from app.core.reads.stats import ROLLING_WINDOW, Leaderboard, leaderboard, trend
from app.shared.chart_worker import ChartWorker


class Stats(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        # Charts are drawn in a worker process: matplotlib never loads in the bot.
        self.charts = ChartWorker()

    async def cog_unload(self) -> None:
        await self.charts.close()

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
        await reply.ack("Fetching matches…")
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

        pager = HistoryPager(f"Matches of {who.display_name}", fetch, await fetch(None))
        pager.message = await reply.public(embed=pager.embed(), view=pager)
        await reply.private("Here you go.")

    @app_commands.command(name="trend")
    @app_commands.guild_only()
    @app_commands.describe(
        stat="What to chart", player="Whose (default: yours)", last="How many matches (5-100)"
    )
    @app_commands.choices(stat=STAT_CHOICES)
    async def trend(
        self,
        interaction: discord.Interaction,
        stat: app_commands.Choice[str],
        player: discord.User | None = None,
        last: app_commands.Range[int, 5, 100] = 20,
    ) -> None:
        """A chart of one stat over your last matches, with its rolling average."""
        reply = Reply(interaction)
        await reply.ack("Drawing your chart…")
        who = player or interaction.user
        chosen = Stat(stat.value)
        series = await trend(
            self.bot.runtime.dependencies.analytics,
            actor_of(interaction),
            chosen,
            last=last,
            user_id=who.id,
            guild_id=interaction.guild_id,
        )
        points = series.points
        if len(points) < 2:
            await reply.private(
                f"A trend needs at least two matches with {chosen.label}; "
                f"{who.display_name} has {len(points)}."
            )
            return
        title = f"{chosen.label} · {who.display_name} · last {len(points)} matches"
        chart = await self.charts.trend_chart(
            points, title=title, stat_label=chosen.label, rolling=ROLLING_WINDOW
        )
        embed = discord.Embed(title=clip(title, 256), colour=discord.Colour.blurple())
        embed.set_image(url="attachment://trend.png")
        await reply.public(embed=embed, file=discord.File(io.BytesIO(chart), filename="trend.png"))
        await reply.private("Chart posted.")

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
        await reply.ack("Ranking…")
        deps = self.bot.runtime.dependencies
        board = await leaderboard(
            deps.analytics,
            deps.clock,
            actor_of(interaction),
            interaction.guild_id or 0,
            Stat(stat.value),
            period=Period(period.value) if period else DEFAULT_LEADERBOARD_PERIOD,
            mode=Mode(mode.value) if mode else None,
        )
        await reply.public(embed=leaderboard_embed(board))
        await reply.private("Leaderboard posted.")


def leaderboard_embed(board: Leaderboard) -> discord.Embed:
    stat = board.stat
    embed = discord.Embed(
        title=f"Leaderboard · {stat.label} · {board.period.label}", colour=discord.Colour.gold()
    )
    if not board.entries:
        embed.description = "No matches in this period yet."
        return embed
    medals = ["🥇", "🥈", "🥉"]
    lines = []
    for rank, row in ((entry.rank, entry.row) for entry in board.entries):
        badge = medals[rank - 1] if rank <= 3 else f"`{rank:>2}`"
        value = f"{row.value:.2f}" if stat in {Stat.KD, Stat.ACCURACY} else f"{row.value:,.1f}"
        lines.append(f"{badge} <@{row.user_id}> — **{value}** ({row.matches} matches)")
    embed.description = "\n".join(lines)
    return fit(embed)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Stats(bot))
