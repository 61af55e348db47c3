"""/season: an admin starts a new season; anyone sees an ended season's top three."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from app.bot.actors import actor_of
from app.bot.client import DebriefBot
from app.bot.replies import Reply
from app.bot.ui.seasons import results_embed, started_embed
from app.core.commands import StartSeason
from app.core.i18n import _
from app.core.reads.seasons import ended_season
from app.core.seasons import MAX_SEASON_NAME_LENGTH, Season


@app_commands.guild_only()
class Seasons(commands.GroupCog, group_name="season", group_description="This server's seasons."):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="start")
    @app_commands.describe(name="The new season's name, e.g. Season 3 or Spring cup")
    async def start(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, MAX_SEASON_NAME_LENGTH],
    ) -> None:
        """Admins: start a new season. Leaderboards count from now; the top three are kept."""
        reply = Reply(interaction)
        await reply.ack(_("Starting the season…"))
        # Checked by the handler: Manage Server, from this interaction's permissions. The
        # interaction is the idempotency key: a replayed one starts no second season.
        season: Season = await self.bot.bus.handle(
            StartSeason(
                guild_id=interaction.guild_id or 0,
                actor=actor_of(interaction),
                name=name,
                idempotency_key=f"interaction:{interaction.id}",
            )
        )
        await reply.public(embed=started_embed(season))
        await reply.private(_("Season started."))

    @app_commands.command(name="results")
    @app_commands.describe(season="Which ended season (default: the last one)")
    async def results(self, interaction: discord.Interaction, season: str | None = None) -> None:
        """The top three of an ended season, as they stood when it ended."""
        reply = Reply(interaction)
        await reply.ack(_("Fetching results…"))
        ended = await ended_season(
            self.bot.runtime.dependencies.seasons,
            actor_of(interaction),
            interaction.guild_id or 0,
            season,
        )
        await reply.public(embed=results_embed(ended))
        await reply.private(_("Results posted."))

    @results.autocomplete("season")
    async def season_names(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        seasons = await self.bot.runtime.dependencies.seasons.all_of(interaction.guild_id or 0)
        wanted = typed.strip().casefold()
        names = [s.ended.shown_name for s in seasons]
        return [app_commands.Choice(name=n, value=n) for n in names if wanted in n.casefold()][:25]


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Seasons(bot))
