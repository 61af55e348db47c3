"""/ask: a question in plain language, answered with a table and one sentence."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from app.bot.choices import ASK_SCOPE_CHOICES
from app.bot.client import DebriefBot
from app.bot.discord_limits import DESCRIPTION, TITLE, clip, fit
from app.bot.replies import Reply
from app.core.ask.answer import Answer, render_table
from app.core.commands import AskQuestion
from app.core.guilds import AskScope
from app.core.i18n import _

# Room in the description for the sentence, a note and the code fences around the table.
TABLE_BUDGET = DESCRIPTION - 800


def answer_embed(answer: Answer) -> discord.Embed:
    table = render_table(answer.rows, TABLE_BUDGET, omitted=answer.omitted)
    note = f"\n*{clip(answer.note, 200)}*" if answer.note else ""
    embed = discord.Embed(
        title=clip(answer.rows.title or answer.rows.question, TITLE),
        description=f"{clip(answer.sentence, 500)}{note}\n```\n{table}\n```",
        colour=discord.Colour.teal(),
    )
    embed.set_footer(text=clip(_("Q: {question}", question=answer.rows.question), 2048))
    return fit(embed)


class Ask(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask")
    @app_commands.guild_only()
    @app_commands.describe(
        question="e.g. my average K/D in Hardpoint this month", scope="Whose matches"
    )
    @app_commands.choices(scope=ASK_SCOPE_CHOICES)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 3, 300],
        scope: app_commands.Choice[str] | None = None,
    ) -> None:
        """Ask a question about your squad's matches in plain language."""
        reply = Reply(interaction)
        await reply.ack(_("Thinking about it…"))
        answer = await self.bot.bus.handle(
            AskQuestion(
                guild_id=interaction.guild_id or 0,
                user_id=interaction.user.id,
                question=question,
                scope=AskScope(scope.value) if scope else None,
            )
        )
        await reply.public(embed=answer_embed(answer))
        await reply.private(_("Answer posted."))


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Ask(bot))
