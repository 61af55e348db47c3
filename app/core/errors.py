"""Domain errors: the curated failures a user may be told about.

Each carries a short, user-facing message. Anything that is not a DomainError is a bug or an
outage: adapters log it with its traceback and show a generic message instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from app.core.i18n import N_, _


class DomainError(Exception):
    """A failure the user can understand and act on."""

    user_message: str = N_("That didn't work.")
    # The {placeholders} of a class's own `user_message`, filled in when it is translated.
    user_message_params: ClassVar[Mapping[str, object]] = {}

    def __init__(self, user_message: str | None = None) -> None:
        # Translated here, in the language of the interaction that ran into it; a message
        # given ready-made was translated by whoever wrote it.
        self.user_message = user_message or _(self.user_message, **self.user_message_params)
        super().__init__(self.user_message)


class NotFound(DomainError):
    user_message = N_("That doesn't exist, or you can't see it.")


class Forbidden(DomainError):
    user_message = N_("You are not allowed to do that.")


class Conflict(DomainError):
    user_message = N_("That was already done.")


class DuplicateMatch(Conflict):
    """The interaction or one of its screenshots was already logged."""

    def __init__(self, existing_match_id: str) -> None:
        self.existing_match_id = existing_match_id
        super().__init__(_("Already logged as match {id}.", id=existing_match_id))


class InvalidAttachment(DomainError):
    """A file that is not a usable screenshot: wrong type, too large, too many, empty."""

    user_message = N_("That file can't be used as a screenshot.")


class UnreadableScreenshot(DomainError):
    user_message = N_(
        "I couldn't read match stats from that screenshot. Post the end-of-match scoreboard, "
        "uncropped, or use /log to enter the match by hand."
    )


class AIUnavailable(DomainError):
    user_message = N_("The AI is unavailable right now; please try again in a minute.")


class RefusedQuestion(DomainError):
    user_message = N_(
        "I can't answer that one. Ask about match stats, e.g. "
        '"my average K/D in Hardpoint this month".'
    )


class CooldownActive(DomainError):
    def __init__(self, seconds_left: int) -> None:
        self.seconds_left = seconds_left
        super().__init__(
            _("Slow down: you can use this again in {seconds} s.", seconds=seconds_left)
        )


class ChannelOutsideServer(DomainError):
    """A channel named by a server's settings is not one of that server's text channels."""

    user_message = N_(
        "That channel is not a text channel of this server that Debrief can post in; "
        "choose one of this server's channels."
    )


class ChannelsUnverifiable(DomainError):
    """Discord could not be asked which server a channel belongs to."""

    user_message = N_(
        "Discord did not answer, so the channel could not be checked; try again shortly."
    )
