"""One way to answer an interaction, so errors are always private and never lost.

Every command first acknowledges with a private (ephemeral) line within Discord's 3 seconds.
Results meant for the squad go out as public follow-ups; private results and every error
replace that first line. This keeps error messages ephemeral even after a slow command.
"""

from __future__ import annotations

from typing import Any

import discord

from app.bot.discord_limits import CONTENT, clip

MISSING: Any = discord.utils.MISSING


class Reply:
    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction

    async def ack(self, text: str) -> None:
        """The immediate private acknowledgement; do this before any I/O."""
        await self.interaction.response.send_message(clip(text, CONTENT), ephemeral=True)

    async def private(
        self,
        content: str | None = None,
        *,
        embed: discord.Embed | None = None,
        view: discord.ui.View | None = None,
        file: discord.File | None = None,
    ) -> None:
        """Show something only to the user: replace the acknowledgement, or be the first reply."""
        text = clip(content, CONTENT) if content else None
        response = self.interaction.response
        if not response.is_done():
            await response.send_message(
                text,
                embed=embed or MISSING,
                view=view or MISSING,
                file=file or MISSING,
                ephemeral=True,
            )
        elif response.type is discord.InteractionResponseType.channel_message:
            # Our own private acknowledgement: replace it.
            await self.interaction.edit_original_response(
                content=text,
                embed=embed,
                view=view,
                attachments=[file] if file else [],
            )
        else:
            # A button or a form acknowledged by updating a public message: don't touch it.
            await self.interaction.followup.send(
                text or MISSING,
                embed=embed or MISSING,
                view=view or MISSING,
                file=file or MISSING,
                ephemeral=True,
            )

    async def public(
        self,
        *,
        embed: discord.Embed,
        view: discord.ui.View | None = None,
        file: discord.File | None = None,
    ) -> discord.WebhookMessage:
        """Post a result for the whole channel, after the acknowledgement."""
        return await self.interaction.followup.send(
            embed=embed, view=view or MISSING, file=file or MISSING, wait=True
        )
