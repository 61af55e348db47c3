"""/debrief, /log and /match: getting matches in, and managing them."""

from __future__ import annotations

from functools import partial

import discord
from discord import app_commands
from discord.ext import commands

from app.bot.actors import actor_of
from app.bot.choices import MODE_CHOICES
from app.bot.client import DebriefBot
from app.bot.owed_replies import owed_reply
from app.bot.queue_notices import DEBRIEF_ACK, InteractionQueueNotices
from app.bot.replies import Reply
from app.bot.ui.embeds import match_embed
from app.bot.ui.forms import parse
from app.bot.ui.match_actions import (
    ConfirmDelete,
    DeleteButton,
    FixButton,
    apply_correction,
    changeable_match,
    delete_question,
    fix_form,
    match_actions,
    saved_changes,
)
from app.bot.ui.modals import MatchModal
from app.bot.ui.not_me import NotMeButton
from app.core.admission import in_turn
from app.core.commands import AnalyzeScreenshots, RecordMatch
from app.core.errors import DomainError
from app.core.game.rules import Mode
from app.core.i18n import _
from app.core.matches import Match, MatchSource
from app.core.reads.matches import show_match
from app.core.replies import OwedReply
from app.core.squad.matching import AlreadyRecorded


class Matches(commands.Cog):
    match = app_commands.Group(
        name="match", description="Show, fix or delete one of your matches.", guild_only=True
    )

    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    @app_commands.command(name="debrief")
    @app_commands.guild_only()
    @app_commands.describe(
        scoreboard="Your end-of-match scoreboard screenshot",
        weapons="Optional: the weapons screen of the same match",
        note="Optional: anything to remember about this match",
    )
    async def debrief(
        self,
        interaction: discord.Interaction,
        scoreboard: discord.Attachment,
        weapons: discord.Attachment | None = None,
        note: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """Post your end-of-match screenshots and get an AI debrief."""
        await Reply(interaction).ack(_(DEBRIEF_ACK))
        # On record before any work: the events of the work send it (or the outbox, if this
        # process dies first), so a saved match is never left without its reply.
        bus = self.bot.bus
        try:
            async with owed_reply(bus, interaction, match_interaction_id=interaction.id) as owed:
                # In turn: downloads, images and AI calls of a burst wait in line, acknowledged.
                files = tuple(a for a in (scoreboard, weapons) if a is not None)
                await in_turn(
                    self.bot.admission,
                    bus,
                    owed,
                    InteractionQueueNotices(interaction),
                    partial(self.analyzed, interaction, files, note, owed),
                )
        except AlreadyRecorded as known:
            # A squad mate's upload recorded it already: offer that match, with its buttons.
            await self.offer(interaction, known)

    async def offer(self, interaction: discord.Interaction, known: AlreadyRecorded) -> None:
        deps = self.bot.runtime.dependencies
        shown = await show_match(
            deps.matches, deps.debriefs, actor_of(interaction), known.existing_match_id
        )
        await Reply(interaction).private(
            known.user_message,
            embed=match_embed(shown.match, shown.debrief),
            view=match_actions(shown.match),
        )

    async def analyzed(
        self,
        interaction: discord.Interaction,
        files: tuple[discord.Attachment, ...],
        note: str | None,
        owed: OwedReply,
    ) -> None:
        uploads = await self.bot.attachments.download(files, interaction.filesize_limit)
        await self.bot.bus.handle(
            AnalyzeScreenshots(
                guild_id=guild_of(interaction),
                channel_id=interaction.channel_id or 0,
                user_id=interaction.user.id,
                interaction_id=interaction.id,
                uploads=uploads,
                size_limit=interaction.filesize_limit,
                played_at=interaction.created_at,
                note=note,
                reply=owed,
            )
        )

    @app_commands.command(name="log")
    @app_commands.guild_only()
    @app_commands.describe(mode="The mode you played")
    @app_commands.choices(mode=MODE_CHOICES)
    async def log(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        """Enter a match by hand (no screenshot or AI needed)."""
        chosen = Mode(mode.value)
        await interaction.response.send_modal(
            MatchModal(
                title=_("Log a {mode} match", mode=_(chosen.display_name)),
                mode=chosen,
                on_submit=partial(self.logged, chosen, interaction.id),
            )
        )

    async def logged(
        self,
        mode: Mode,
        interaction_id: int,
        interaction: discord.Interaction,
        values: dict[str, str],
    ) -> None:
        await Reply(interaction).ack(_("Saving your match…"))
        bus = self.bot.bus
        async with owed_reply(bus, interaction, match_interaction_id=interaction_id) as owed:
            await bus.handle(
                RecordMatch(
                    guild_id=guild_of(interaction),
                    channel_id=interaction.channel_id or 0,
                    user_id=interaction.user.id,
                    # The /log interaction, not the form's: replaying either can't log twice.
                    interaction_id=interaction_id,
                    raw_stats=parse(mode, values),
                    source=MatchSource.MANUAL,
                    played_at=interaction.created_at,
                    reply=owed,
                )
            )

    @match.command(name="show")
    @app_commands.describe(id="The match id (shown under every match)")
    async def show(self, interaction: discord.Interaction, id: str) -> None:
        """Show a match with its debrief."""
        reply = Reply(interaction)
        await reply.ack(_("Looking it up…"))
        deps = self.bot.runtime.dependencies
        shown = await show_match(deps.matches, deps.debriefs, actor_of(interaction), id)
        await reply.private(embed=match_embed(shown.match, shown.debrief))

    @match.command(name="fix")
    @app_commands.describe(id="The match id (shown under every match)")
    async def fix(self, interaction: discord.Interaction, id: str) -> None:
        """Correct a match's stats."""
        found = await changeable_match(interaction, id)
        await interaction.response.send_modal(fix_form(found, partial(self.fixed, found)))

    async def fixed(
        self, match: Match, interaction: discord.Interaction, values: dict[str, str]
    ) -> None:
        reply = Reply(interaction)
        await reply.ack(_("Saving the correction…"))
        fixed, debrief = await apply_correction(interaction, match, values)
        await reply.private(saved_changes(match, fixed), embed=match_embed(fixed, debrief))

    @match.command(name="delete")
    @app_commands.describe(id="The match id (shown under every match)")
    async def delete(self, interaction: discord.Interaction, id: str) -> None:
        """Delete a match and its debrief (after you confirm)."""
        reply = Reply(interaction)
        await reply.ack(_("Looking it up…"))
        found = await changeable_match(interaction, id)
        await reply.private(delete_question(found), view=ConfirmDelete(found, interaction))


def guild_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:  # guild_only commands never get here without one
        raise DomainError(_("Use Debrief in a server channel."))
    return interaction.guild_id


async def setup(bot: DebriefBot) -> None:
    bot.add_dynamic_items(FixButton, DeleteButton, NotMeButton)
    await bot.add_cog(Matches(bot))
