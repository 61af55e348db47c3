"""Turning any failure of a slash command or component into a short private message.

Domain errors carry their own message. An unreachable database is an outage the user can
only wait out: they are told so. Anything else is a bug or an outage: the user gets a generic
message and the log gets one line with the traceback (never the exception text in Discord: it
can hold internals).
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from pymongo.errors import ConnectionFailure

from app.bot.replies import Reply
from app.core.errors import DomainError
from app.core.i18n import N_, _

logger = logging.getLogger(__name__)

GENERIC = N_("Something went wrong on our side. It has been logged; please try again.")
NEEDS_MANAGE_SERVER = N_("You need the Manage Server permission for that.")
DATABASE_UNAVAILABLE = N_(
    "Debrief can't reach its database right now; please try again in a minute."
)
CHANNEL_GONE = N_("That channel no longer exists, or Debrief can't see it; choose another one.")
UNUSABLE_OPTION = N_("One of the options can't be used as given; check them and try again.")
CANT_USE_HERE = N_("You can't use that here.")
# Discord's error codes for an interaction that was already acknowledged, or whose token has
# expired (or was never acknowledged in time).
ALREADY_ACKNOWLEDGED = 40060
UNKNOWN_INTERACTION = 10062
UNANSWERABLE = frozenset({ALREADY_ACKNOWLEDGED, UNKNOWN_INTERACTION})


def is_unanswerable(error: BaseException) -> bool:
    cause = getattr(error, "original", error)
    return isinstance(cause, discord.HTTPException) and cause.code in UNANSWERABLE


def user_message(error: BaseException) -> str:
    """What to tell the user, in the interaction's language."""
    message = _message(error)
    # A domain error's message was translated when it was raised; the rest are msgids.
    return message if isinstance(getattr(error, "original", error), DomainError) else _(message)


def _message(error: BaseException) -> str:
    cause = getattr(error, "original", error)
    if isinstance(cause, DomainError):
        return cause.user_message
    if isinstance(cause, ConnectionFailure):
        return DATABASE_UNAVAILABLE
    if isinstance(error, app_commands.MissingPermissions):
        return NEEDS_MANAGE_SERVER
    if isinstance(error, app_commands.CommandOnCooldown):
        return _("Slow down: try again in {seconds:.0f} s.", seconds=error.retry_after)
    if isinstance(error, app_commands.CheckFailure):
        return CANT_USE_HERE
    if isinstance(error, app_commands.TransformerError):
        # discord.py could not turn an option into what the command takes (e.g. a channel
        # deleted since it was picked): the user's input, not a bug.
        channel = error.type is discord.AppCommandOptionType.channel
        return CHANNEL_GONE if channel else UNUSABLE_OPTION
    return GENERIC


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what went wrong; log what they must not see."""
    if is_unanswerable(error):
        # Discord delivered the interaction again (a gateway resume can) and it was already
        # answered, or its time ran out: no reply can get through, so none is attempted.
        logger.warning("interaction %s can no longer be answered: %s", interaction.id, error)
        return
    message = _message(error)
    if message == DATABASE_UNAVAILABLE:
        # An outage, not a bug: one line without the traceback is enough.
        logger.warning("interaction %s failed: the database is unreachable", interaction.id)
    elif message == GENERIC:
        command = interaction.command.qualified_name if interaction.command else "component"
        logger.error("interaction %s (%s) failed", interaction.id, command, exc_info=error)
    try:
        await Reply(interaction).private(user_message(error))
    except discord.HTTPException:
        logger.warning("could not tell the user about a failure of interaction %s", interaction.id)


async def on_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    await report(interaction, error)
