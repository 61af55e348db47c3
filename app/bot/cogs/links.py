"""/link and /unlink: the on-screen names that are a member's own, so /debrief reads their row
by name. An admin gives a name to another member with /link gamertag:<name> member:@them."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from app.bot.actors import actor_of
from app.bot.client import DebriefBot
from app.bot.replies import Reply
from app.core.commands import LinkGamertag, UnlinkGamertag
from app.core.i18n import _
from app.core.links import MAX_GAMERTAG_LENGTH, GamertagLink
from app.core.squad.wording import auto_record_line


class Links(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    @app_commands.command(name="link")
    @app_commands.guild_only()
    @app_commands.describe(
        gamertag="Your name as the scoreboard shows it",
        member="Admins only: give the name to this member instead (moves it from its owner)",
        auto_record="Also record the match for you when a squad mate's scoreboard shows this name",
    )
    async def link(
        self,
        interaction: discord.Interaction,
        gamertag: app_commands.Range[str, 1, MAX_GAMERTAG_LENGTH],
        member: discord.Member | None = None,
        auto_record: bool | None = None,
    ) -> None:
        """Say which on-screen name is yours: /debrief then reads your row by it."""
        reply = Reply(interaction)
        await reply.ack(_("Linking…"))
        linked: GamertagLink = await self.bot.bus.handle(
            LinkGamertag(
                guild_id=interaction.guild_id or 0,
                actor=actor_of(interaction),
                gamertag=gamertag,
                member_id=member.id if member else None,
                auto_record=auto_record,
            )
        )
        await reply.private(await self._linked_text(interaction, linked))

    @app_commands.command(name="unlink")
    @app_commands.guild_only()
    @app_commands.describe(gamertag="One of your linked names (admins: anyone's)")
    async def unlink(
        self,
        interaction: discord.Interaction,
        gamertag: app_commands.Range[str, 1, MAX_GAMERTAG_LENGTH],
    ) -> None:
        """Unlink an on-screen name."""
        reply = Reply(interaction)
        await reply.ack(_("Unlinking…"))
        await self.bot.bus.handle(
            UnlinkGamertag(
                guild_id=interaction.guild_id or 0,
                actor=actor_of(interaction),
                gamertag=gamertag,
            )
        )
        name = discord.utils.escape_markdown(gamertag.strip())
        await reply.private(_("Unlinked **{name}**.", name=name))

    @unlink.autocomplete("gamertag")
    async def own_names(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        """The member's own linked names that start with what they typed."""
        names = await self._names_of(interaction, interaction.user.id)
        wanted = typed.strip().casefold()
        return [
            app_commands.Choice(name=name, value=name)
            for name in names
            if name.casefold().startswith(wanted)
        ][:25]

    async def _linked_text(self, interaction: discord.Interaction, linked: GamertagLink) -> str:
        names = await self._names_of(interaction, linked.user_id)
        listed = ", ".join(f"**{discord.utils.escape_markdown(n)}**" for n in names)
        return _names_line(interaction, linked, listed) + auto_record_line(linked)

    async def _names_of(self, interaction: discord.Interaction, user_id: int) -> list[str]:
        links = self.bot.runtime.dependencies.gamertag_links
        return [link.gamertag for link in await links.of_member(interaction.guild_id or 0, user_id)]


def _names_line(interaction: discord.Interaction, linked: GamertagLink, listed: str) -> str:
    if linked.user_id == interaction.user.id:
        return _(
            "Linked. Your names here: {names}. /debrief reads the row showing one of them.",
            names=listed,
        )
    return _(
        "Linked. <@{user}>'s names here: {names}. /debrief reads the row showing one of them.",
        user=linked.user_id,
        names=listed,
    )


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Links(bot))
