"""The match form as a Discord modal, and the way back into it when it is refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import discord

from app.bot.errors import report, user_message
from app.bot.language import speak_to
from app.bot.replies import Reply
from app.bot.ui.forms import boxes
from app.core.errors import CooldownActive
from app.core.game.errors import InvalidMatchStats
from app.core.game.rules import Mode
from app.core.i18n import _

Submit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]
# Refusals the player fixes by editing the form (or by waiting): they keep what they typed.
RETYPABLE = (InvalidMatchStats, CooldownActive)
EDIT_AGAIN_TIMEOUT_S = 600


class MatchModal(discord.ui.Modal):
    def __init__(
        self, *, title: str, mode: Mode, on_submit: Submit, values: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(title=title[:45], timeout=600)
        self._mode = mode
        self._submit = on_submit
        self._inputs: dict[str, discord.ui.TextInput[MatchModal]] = {}
        for box in boxes(mode):
            field: discord.ui.TextInput[MatchModal] = discord.ui.TextInput(
                label=_(box.label)[:45],
                placeholder=_(box.placeholder),
                default=(values or {}).get(box.key),
                max_length=40,
            )
            self._inputs[box.key] = field
            self.add_item(field)

    def typed(self) -> dict[str, str]:
        return {key: field.value for key, field in self._inputs.items()}

    def again(self) -> MatchModal:
        """The same form, filled with what was typed in this one."""
        return MatchModal(
            title=self.title, mode=self._mode, on_submit=self._submit, values=self.typed()
        )

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        await speak_to(interaction)
        return True

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submit(interaction, self.typed())

    async def on_error(  # type: ignore[override]  # Modal's own signature has no item
        self, interaction: discord.Interaction, error: Exception
    ) -> None:
        if not isinstance(error, RETYPABLE):
            await report(interaction, error)
            return
        # Discord cannot answer a submitted form with another form: a button opens it again.
        await Reply(interaction).private(user_message(error), view=EditAgain(self.again()))


class EditAgain(discord.ui.View):
    """One button under a refusal that opens the refused form again, as it was typed."""

    def __init__(self, form: MatchModal) -> None:
        super().__init__(timeout=EDIT_AGAIN_TIMEOUT_S)
        self.form = form
        self.edit_again.label = _("Edit again")

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        await speak_to(interaction)
        return True

    @discord.ui.button(label="Edit again", style=discord.ButtonStyle.primary)
    async def edit_again(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        await interaction.response.send_modal(self.form.again())

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report(interaction, error)
