"""The match form as a Discord modal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import discord

from app.bot.errors import report
from app.bot.ui.forms import boxes
from app.core.game.rules import Mode

Submit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]


class MatchModal(discord.ui.Modal):
    def __init__(
        self, *, title: str, mode: Mode, on_submit: Submit, values: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(title=title[:45], timeout=600)
        self._submit = on_submit
        self._inputs: dict[str, discord.ui.TextInput[MatchModal]] = {}
        for box in boxes(mode):
            field: discord.ui.TextInput[MatchModal] = discord.ui.TextInput(
                label=box.label[:45],
                placeholder=box.placeholder,
                default=(values or {}).get(box.key),
                max_length=40,
            )
            self._inputs[box.key] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submit(interaction, {key: field.value for key, field in self._inputs.items()})

    async def on_error(  # type: ignore[override]  # Modal's own signature has no item
        self, interaction: discord.Interaction, error: Exception
    ) -> None:
        await report(interaction, error)
