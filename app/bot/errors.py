"""Turning any failure of a slash command or component into a short private message.

Domain errors carry their own message. Anything else is a bug or an outage: the user gets a
generic message and the log gets one line with the traceback (never the exception text in
Discord: it can hold internals).
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from app.bot.replies import Reply
from app.core.errors import DomainError

logger = logging.getLogger(__name__)

GENERIC = "Something went wrong on our side. It has been logged; please try again."
NEEDS_MANAGE_SERVER = "You need the Manage Server permission for that."


def user_message(error: BaseException) -> str:
    cause = getattr(error, "original", error)
    if isinstance(cause, DomainError):
        return cause.user_message
    if isinstance(error, app_commands.MissingPermissions):
        return NEEDS_MANAGE_SERVER
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that here."
    return GENERIC


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what went wrong; log what they must not see."""
    message = user_message(error)
    if message == GENERIC:
        command = interaction.command.qualified_name if interaction.command else "component"
        logger.error("interaction %s (%s) failed", interaction.id, command, exc_info=error)
    try:
        await Reply(interaction).private(message)
    except discord.HTTPException:
        logger.warning("could not tell the user about a failure of interaction %s", interaction.id)


async def on_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    await report(interaction, error)
