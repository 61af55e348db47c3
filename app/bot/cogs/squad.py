"""/compare and /session: reads through the read layer (`app.core.reads`); this cog only checks
what Discord alone knows (is the other player a member of this server?) and formats."""

from __future__ import annotations

import io
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands

from app.bot.actors import actor_of
from app.bot.choices import MODE_CHOICES, STAT_CHOICES
from app.bot.client import DebriefBot
from app.bot.replies import Reply
from app.bot.ui.squad import compare_embed, session_embed
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.i18n import N_, _
from app.core.reads.compare import Comparison, compare
from app.core.reads.sessions import current_session
from app.core.reads.stats import ROLLING_WINDOW

NOT_A_MEMBER = N_("You can only compare with a member of this server.")


class Squad(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        # Charts are drawn in the bot's one worker process: matplotlib never loads in the bot.
        self.charts = bot.charts

    @app_commands.command(name="compare")
    @app_commands.guild_only()
    @app_commands.describe(
        player="The squadmate to compare with",
        stat="Which stat to chart (default: K/D)",
        mode="Only this mode",
        last="How many matches to chart (5-100)",
    )
    @app_commands.choices(stat=STAT_CHOICES, mode=MODE_CHOICES)
    async def compare(
        self,
        interaction: discord.Interaction,
        player: discord.User,
        stat: app_commands.Choice[str] | None = None,
        mode: app_commands.Choice[str] | None = None,
        last: app_commands.Range[int, 5, 100] = 20,
    ) -> None:
        """You and a squadmate side by side, with both trends on one chart."""
        reply = Reply(interaction)
        await reply.ack(_("Comparing…"))
        # Discord sends a member's server profile only for members of this server.
        if not isinstance(player, discord.Member) or player.guild.id != interaction.guild_id:
            await reply.private(_(NOT_A_MEMBER))
            return
        chosen = Stat(stat.value) if stat else Stat.KD
        result = await compare(
            self.bot.runtime.dependencies.analytics,
            actor_of(interaction),
            interaction.guild_id or 0,
            player.id,
            chosen,
            mode=Mode(mode.value) if mode else None,
            last=last,
        )
        you = interaction.user.display_name
        embed = compare_embed(result, you, player.display_name)
        chart = await self._chart(result, you, player.display_name)
        embed.set_image(url="attachment://compare.png")
        await reply.public(embed=embed, file=discord.File(io.BytesIO(chart), "compare.png"))
        await reply.private(_("Comparison posted."))

    async def _chart(self, result: Comparison, you: str, them: str) -> bytes:
        # The chart is small in Discord: the names and the stat in the title, the rest is in
        # the legend and the axis (the embed's table says how many matches).
        return await self.charts.overlay_chart(
            [(you, result.you.trend.points), (them, result.them.trend.points)],
            title=f"{you} vs {them} · {result.stat.label}",
            stat=result.stat,
            rolling=ROLLING_WINDOW,
        )

    @app_commands.command(name="session")
    @app_commands.guild_only()
    @app_commands.describe(gap="Hours without a match that end a session (1-12, default 2)")
    async def session(
        self, interaction: discord.Interaction, gap: app_commands.Range[int, 1, 12] = 2
    ) -> None:
        """Your current (or last) play session in this server: totals, K/D, wins, best match."""
        reply = Reply(interaction)
        await reply.ack(_("Adding up your session…"))
        deps = self.bot.runtime.dependencies
        found = await current_session(
            deps.matches,
            deps.clock,
            actor_of(interaction),
            guild_id=interaction.guild_id,
            gap=timedelta(hours=gap),
        )
        await reply.public(embed=session_embed(found, interaction.user.display_name))
        await reply.private(_("Session posted."))


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Squad(bot))
