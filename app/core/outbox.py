"""Work kept in MongoDB until it is delivered: replies, follow-ups, cross-process commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    # Gave up: retried until its deadline passed. Kept so the API and the user can see it.
    EXPIRED = "expired"
    # Gave up at once: retrying could not help (e.g. no digest channel); `last_error` says why.
    FAILED = "failed"


# The API asks the bot to post a server's digest now; payload: app/core/cross_process.py.
POST_DIGEST_KIND: Final = "bot.post_digest"
# The bot's answer to a /debrief or /log, written down before the work it answers: the live
# process delivers it, or, if that process died, another one does once its lease runs out.
# Payload: MatchReplyRequest in app/core/replies.py (the interaction's token, channel, server).
MATCH_REPLY_KIND: Final = "discord.match_reply"
# A server's weekly digest, written and waiting to be posted in its channel; one per server and
# ISO week. Payload: WeeklyDigest in app/core/deliveries.py.
DIGEST_KIND: Final = "discord.digest"
# A private message to a server admin about their settings (the digest turned itself off).
# Payload: AdminNotice in app/core/deliveries.py.
ADMIN_NOTICE_KIND: Final = "discord.admin_notice"
# A player's new personal best or milestone, posted in the squad's channel when the server
# turned `announce_bests` on; one per record, ever. Payload: RecordAnnouncement in
# app/core/deliveries.py.
RECORD_KIND: Final = "discord.record"
# A squad mate told that a match was recorded for them from another member's upload: a DM,
# or a mention-free line in the upload's channel. One per captured match. Payload:
# CaptureNotice in app/core/squad/notices.py.
CAPTURE_NOTICE_KIND: Final = "discord.capture_notice"


class OutboxFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    payload: dict[str, Any] = Field(default_factory=dict)
    # Makes enqueueing idempotent: the same delivery is never queued twice.
    dedupe_key: str
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    # A claimed message becomes available again when its lease runs out, so a consumer that
    # dies mid-delivery does not lose it.
    available_at: datetime
    expires_at: datetime
    created_at: datetime
    delivered_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=200)


class OutboxMessage(OutboxFields):
    id: str


# Where a consumer stopped reading the stream of new messages. Opaque outside the repository
# (a MongoDB resume token), stored as is and handed back to resume the stream after a restart.
StreamPosition = dict[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxInsert:
    """A message that was just inserted, seen on the stream of new messages."""

    message_id: str
    position: StreamPosition


class StreamUnsupported(Exception):
    """The database cannot stream new messages (e.g. a standalone MongoDB): poll instead."""


class StreamPositionLost(Exception):
    """A saved stream position can no longer be resumed from (too old, or not a position)."""


def retry_delay(attempts: int, *, first: timedelta, cap: timedelta) -> timedelta:
    """Exponential backoff: `first` after the first attempt, doubling, never above `cap`."""
    # Bounded so a message retried for days cannot overflow timedelta; a million times the
    # first delay is far above any useful cap.
    doublings = min(max(attempts - 1, 0), 20)
    return min(cap, first * (1 << doublings))
