"""What a /debrief waiting in line is told, in place of its private acknowledgement."""

from __future__ import annotations

import discord

from app.core.admission import WaitNotices

DEBRIEF_ACK = "Reading your screenshots…"
STARTS_SOON = "Debrief starts reading your screenshots as soon as a place frees up."


def queued_line(ahead: int) -> str:
    if ahead == 0:
        return f"Queued, next in line. {STARTS_SOON}"
    return f"Queued, {ahead} ahead of you. {STARTS_SOON}"


class InteractionQueueNotices(WaitNotices):
    """Edits the interaction's private acknowledgement; a failed edit is the admission's to
    log, and costs the waiter nothing."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self._interaction = interaction

    async def queued(self, ahead: int) -> None:
        await self._interaction.edit_original_response(content=queued_line(ahead))

    async def started(self) -> None:
        await self._interaction.edit_original_response(content=DEBRIEF_ACK)
