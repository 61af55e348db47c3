"""Fix and Delete under a posted match. Persistent: they keep working after a restart,
because the match id lives in the button's custom id, not in the bot's memory.

A fix tells the player privately what it changed; a delete asks first, privately, and only
the confirmation (which lives as long as the question, a few minutes) deletes."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any, cast

import discord

from app.bot.actors import actor_of
from app.bot.errors import report
from app.bot.language import speak_for_server, speak_to
from app.bot.replies import Reply
from app.bot.ui.embeds import match_embed, match_title
from app.bot.ui.forms import form_fields, parse, prefill
from app.bot.ui.modals import MatchModal, Submit
from app.bot.ui.not_me import NotMeButton
from app.core.commands import CorrectMatch, DeleteMatch
from app.core.debriefs import Debrief
from app.core.game.changes import stat_changes
from app.core.i18n import N_, _, current_language, translate
from app.core.matches import Match, MatchSource
from app.core.reads.matches import find_changeable_match

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from app.bot.client import DebriefBot

MATCH_ID = r"(?P<match_id>[0-9a-f]{24})"
CONFIRM_TIMEOUT_S = 300
KEPT = N_("Kept: nothing was deleted.")
UNANSWERED = N_("Not deleted: the question went unanswered. Press Delete again to delete it.")


def match_actions(match: Match) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    # Highlighted while two readers disagree on a field: that is when a fix is likely needed.
    view.add_item(FixButton(match.id, highlighted=bool(match.reader_flags)))
    # A match recorded from a squad mate's upload: its player may say the row wasn't theirs.
    captured = match.source is MatchSource.CAPTURED
    view.add_item(NotMeButton(match.id) if captured else DeleteButton(match.id))
    return view


def bot_of(interaction: discord.Interaction) -> DebriefBot:
    return cast("DebriefBot", interaction.client)


async def changeable_match(interaction: discord.Interaction, match_id: str) -> Match:
    """The match, if this user may change it (the read layer decides: the owner or an admin)."""
    matches = bot_of(interaction).runtime.dependencies.matches
    return await find_changeable_match(matches, actor_of(interaction), match_id)


def fix_form(match: Match, on_submit: Submit) -> MatchModal:
    """The match form, prefilled with what was saved."""
    return MatchModal(
        title=_("Fix this match"), mode=match.stats.mode, values=prefill(match), on_submit=on_submit
    )


async def apply_correction(
    interaction: discord.Interaction, match: Match, values: dict[str, str]
) -> tuple[Match, Debrief | None]:
    """Send the corrected form through the bus; the match and its rewritten debrief."""
    bot = bot_of(interaction)
    raw = parse(match.stats.mode, values, keep=match)
    fixed = await bot.bus.handle(
        CorrectMatch(
            match_id=match.id,
            actor=actor_of(interaction),
            raw_stats=raw,
            reviewed=form_fields(match.stats.mode),
        )
    )
    return fixed, await bot.runtime.dependencies.debriefs.get_for_match(fixed.id)


class FixButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=f"debrief:fix:{MATCH_ID}"):
    def __init__(self, match_id: str, *, highlighted: bool = False) -> None:
        style = discord.ButtonStyle.primary if highlighted else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=_("Fix"),
                style=style,
                custom_id=f"debrief:fix:{match_id}",
            )
        )
        self.match_id = match_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> FixButton:
        return cls(match["match_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await speak_to(interaction)
            match = await changeable_match(interaction, self.match_id)
            await speak_for_server(interaction, match.guild_id)
            await interaction.response.send_modal(fix_form(match, partial(corrected, match)))
        except Exception as error:  # noqa: BLE001 - every failure becomes a private message
            await report(interaction, error)


def saved_changes(before: Match, after: Match) -> str:
    """The private confirmation of a fix: "Saved: kills 31 → 34, deaths 22 → 20."."""
    changes = stat_changes(before.stats, after.stats)
    if not changes:
        return _("Saved. Nothing had changed.")
    return _(
        "Saved: {changes}. The debrief was written again for the new numbers.",
        changes=", ".join(changes),
    )


def deleted_line(match_id: str) -> str:
    return _("Match {id} was deleted.", id=match_id)


async def corrected(match: Match, interaction: discord.Interaction, values: dict[str, str]) -> None:
    await speak_for_server(interaction, match.guild_id)  # the form's own check spoke the user's
    # Acknowledge by promising to update the message; the new debrief may take a few seconds.
    await interaction.response.defer()
    fixed, debrief = await apply_correction(interaction, match, values)
    await interaction.edit_original_response(
        embed=match_embed(fixed, debrief), view=match_actions(fixed)
    )
    await Reply(interaction).private(saved_changes(match, fixed))


def delete_question(match: Match) -> str:
    return _(
        "Delete this match ({title}) and its debrief? This can't be undone.",
        title=match_title(match),
    )


class ConfirmDelete(discord.ui.View):
    """The private question before a delete: [Delete] does it, [Cancel] keeps the match.

    `asking` is the interaction whose private reply is the question (it is closed when the
    question times out); `public` is the posted match, if the question came from its button:
    it is replaced by a line saying the match was deleted."""

    def __init__(
        self, match: Match, asking: discord.Interaction, public: discord.Message | None = None
    ) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT_S)
        self.match = match
        self.asking = asking
        self.public = public
        # The timeout's line is written in its own task, outside the interaction's language.
        self.language = current_language()
        self.confirm.label = _("Delete")
        self.cancel.label = _("Cancel")

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        await speak_for_server(interaction, self.match.guild_id)
        return True

    @discord.ui.button(label="Delete", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        await interaction.response.defer()  # updates the question in place
        await bot_of(interaction).bus.handle(
            DeleteMatch(match_id=self.match.id, actor=actor_of(interaction))
        )
        self.stop()
        await interaction.edit_original_response(content=deleted_line(self.match.id), view=None)
        if self.public is not None:
            await self._retire_public_message()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(content=_(KEPT), view=None)

    async def on_timeout(self) -> None:
        try:
            unanswered = translate(self.language, UNANSWERED)
            await self.asking.edit_original_response(content=unanswered, view=None)
        except discord.HTTPException:
            logger.info("could not close the unanswered delete question of %s", self.match.id)

    async def _retire_public_message(self) -> None:
        assert self.public is not None
        try:
            await self.public.edit(content=deleted_line(self.match.id), embed=None, view=None)
        except discord.HTTPException:
            # Deleted all the same; a stale embed is only a stale embed (its buttons then say
            # the match no longer exists).
            logger.warning("could not update the message of deleted match %s", self.match.id)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report(interaction, error)


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=f"debrief:delete:{MATCH_ID}"
):
    def __init__(self, match_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=_("Delete"),
                style=discord.ButtonStyle.danger,
                custom_id=f"debrief:delete:{match_id}",
            )
        )
        self.match_id = match_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> DeleteButton:
        return cls(match["match_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await speak_to(interaction)
            match = await changeable_match(interaction, self.match_id)
            await speak_for_server(interaction, match.guild_id)
            await Reply(interaction).private(
                delete_question(match),
                view=ConfirmDelete(match, interaction, interaction.message),
            )
        except Exception as error:  # noqa: BLE001 - every failure becomes a private message
            await report(interaction, error)
