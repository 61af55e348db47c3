"""What a /debrief waiting in line is told, in place of its private acknowledgement."""

from __future__ import annotations

import discord

from app.core.admission import WaitNotices
from app.core.i18n import N_, _

DEBRIEF_ACK = N_("Reading your screenshots…")
STARTS_SOON = N_("Debrief starts reading your screenshots as soon as a place frees up.")


def queued_line(ahead: int) -> str:
    # Outside the f-string: the catalog's extraction does not look inside one.
    place = (
        _("Queued, next in line.")
        if ahead == 0
        else _("Queued, {ahead} ahead of you.", ahead=ahead)
    )
    return f"{place} {_(STARTS_SOON)}"


class InteractionQueueNotices(WaitNotices):
    """Edits the interaction's private acknowledgement; a failed edit is the admission's to
    log, and costs the waiter nothing."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self._interaction = interaction

    async def queued(self, ahead: int) -> None:
        await self._interaction.edit_original_response(content=queued_line(ahead))

    async def started(self) -> None:
        await self._interaction.edit_original_response(content=_(DEBRIEF_ACK))
