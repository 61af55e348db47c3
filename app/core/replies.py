"""The reply a /debrief or /log owes: what it holds, how it is kept, and where it goes.

A reply is written down in the outbox as soon as its interaction is acknowledged, before
anything is read or saved, so there is no moment when a match is saved but its reply is on
record nowhere. It is leased to the process that received the interaction, which sends it once
the debrief is written. If that process dies, the lease runs out and any bot process's outbox
consumer replays it. Both go through `deliver_match_reply` and the same `MatchReplySender`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from pydantic import BaseModel, ConfigDict

from app.core.errors import DomainError
from app.core.i18n import N_, _
from app.core.outbox import MATCH_REPLY_KIND, OutboxFields

# Discord accepts follow-ups for 15 minutes after the interaction was created.
TOKEN_LIFETIME: Final = timedelta(minutes=15)
# A token this close to its end may die in flight: post in the channel instead.
TOKEN_MARGIN: Final = timedelta(seconds=30)
# A match posted late is still worth posting the same day; after that the message expires.
KEPT_FOR: Final = timedelta(hours=24)
# Never hand a reply over sooner than this, however quick the AI is set to give up.
MIN_LEASE: Final = timedelta(minutes=5)
# Room for Discord's own retries (5xx, 429) and the database on top of the AI's time.
LEASE_MARGIN: Final = timedelta(minutes=1)
# Reading the screenshots, then writing the debrief.
AI_CALLS_PER_REPLY: Final = 2

NOTHING_SAVED: Final = "The command failed before a match was saved; the user was told why."
HANDED_OVER: Final = "The live reply failed; the outbox delivers it."
NOT_SAVED_NOTICE: Final = N_(
    "Debrief restarted before your match was saved, so nothing was recorded. "
    "Please run the command again."
)


class MatchReplyRequest(BaseModel):
    """The payload of a `discord.match_reply` message: whom to answer, where, about what.

    The interaction token lets any bot process send the follow-up; it is useless after
    `token_expires_at` and never leaves the database (the API does not show replies).
    """

    model_config = ConfigDict(frozen=True)

    # The interaction being answered, whose token sends the reply.
    interaction_id: int
    application_id: int
    interaction_token: str
    token_expires_at: datetime
    guild_id: int
    channel_id: int
    user_id: int
    # The interaction the match is recorded under: for /log, the command, not its form.
    match_interaction_id: int

    def token_lives(self, now: datetime) -> bool:
        return self.token_expires_at - TOKEN_MARGIN > now


@dataclass(frozen=True, slots=True, kw_only=True)
class OwedReply:
    """A reply on record in the outbox (`message_id`), carried by the commands and events of
    the work it answers, so whoever finishes that work can send it without reading it back."""

    message_id: str
    request: MatchReplyRequest


class NobodyToTell(DomainError):
    """No match was saved and the interaction can no longer be answered: give up."""

    user_message = N_("No match was saved, and the interaction can no longer be answered.")


NO_ONE_TO_TELL: Final = NobodyToTell.user_message


def reply_lease(ai_timeout: timedelta, ai_attempts: int, ai_max_delay: timedelta) -> timedelta:
    """How long the live process keeps a reply to itself: longer than it can take to answer.

    Every AI call may use all its attempts, each up to the timeout, with backoff between them.
    """
    per_call = ai_attempts * ai_timeout + (ai_attempts - 1) * ai_max_delay
    return max(MIN_LEASE, AI_CALLS_PER_REPLY * per_call + LEASE_MARGIN)


def longest_wait_in_line(lease: timedelta) -> timedelta:
    """How long a reply's work may wait for a place (app/core/admission.py) before it gives up.

    The reply is leased when the work joins the line and leased again when it gets a place;
    giving up a minute before the first lease ends leaves the outbox consumer nothing to take
    over while the work may still start."""
    return lease - LEASE_MARGIN


def match_reply(request: MatchReplyRequest, *, now: datetime, lease: timedelta) -> OutboxFields:
    """The outbox message for a reply; queueing it twice for one interaction keeps one."""
    return OutboxFields(
        kind=MATCH_REPLY_KIND,
        payload=request.model_dump(mode="json"),
        dedupe_key=f"{MATCH_REPLY_KIND}:{request.interaction_id}",
        available_at=now + lease,
        expires_at=now + KEPT_FOR,
        created_at=now,
    )


def saved_line(match_id: str) -> str:
    """The private line that tells the player their match is saved."""
    return _("Saved as match {id}. Use Fix under it to correct anything.", id=match_id)


def channel_line(user_id: int, match_id: str) -> str:
    """Above a match posted in the channel, when its interaction can no longer be answered."""
    return _("<@{user}>, your match is saved as {id}.", user=user_id, id=match_id)
