""" "Not me" under a match captured from a squad mate's upload: the member says the row was not
theirs, and the match is deleted (its rollups and debrief with it). Persistent, like Fix: the
match id lives in the custom id, so it works after a restart and in DMs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import discord

from app.bot.actors import actor_of
from app.bot.errors import report
from app.bot.language import speak_for_server, speak_to
from app.core.commands import DisownCapturedMatch
from app.core.i18n import _
from app.core.matches import Match
from app.core.squad import wording

if TYPE_CHECKING:
    from app.bot.client import DebriefBot

MATCH_ID = r"(?P<match_id>[0-9a-f]{24})"


class NotMeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=f"debrief:notme:{MATCH_ID}"
):
    def __init__(self, match_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=_(wording.NOT_ME_LABEL),
                style=discord.ButtonStyle.danger,
                custom_id=f"debrief:notme:{match_id}",
            )
        )
        self.match_id = match_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> NotMeButton:
        return cls(match["match_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await speak_to(interaction)
            await interaction.response.defer()  # the notice is replaced in place
            bot = cast("DebriefBot", interaction.client)
            removed: Match = await bot.bus.handle(
                DisownCapturedMatch(match_id=self.match_id, actor=actor_of(interaction))
            )
            await speak_for_server(interaction, removed.guild_id)
            await interaction.edit_original_response(
                content=wording.removed(removed.id, removed.stats.player.gamertag),
                embed=None,
                view=None,
            )
        except Exception as error:  # noqa: BLE001 - every failure becomes a private message
            await report(interaction, error)
