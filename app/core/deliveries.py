"""What the bot posts on its own initiative, as outbox entries: the weekly digest, and the
private notice to an admin. Each is queued by an event subscriber in `app/core/handlers`,
sent at once by the process that queued it, and replayed by the outbox consumer otherwise.

A command whose work ends in such an entry (the digest an admin asked for through the API)
answers `HandedOver`: whoever carries the command out follows the entry (`FollowDelivery`) to
learn whether it was posted, failed, or is still waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from pydantic import BaseModel, ConfigDict

from app.core.analytics import WeekTotals
from app.core.errors import DomainError
from app.core.i18n import N_, _
from app.core.outbox import ADMIN_NOTICE_KIND, DIGEST_KIND, RECORD_KIND, OutboxFields

# The process that queued an entry keeps it to itself this long while it sends it: longer
# than a post or two takes. If that process dies, any bot's outbox consumer replays it then.
LIVE_LEASE: Final = timedelta(minutes=2)
# A digest a day late is still worth posting; after that it is old news and expires.
DIGEST_KEPT_FOR: Final = timedelta(days=1)
# An admin told a day late has most likely seen the problem in /config already.
NOTICE_KEPT_FOR: Final = timedelta(days=1)
# A personal best is news for the evening it was set.
RECORD_KEPT_FOR: Final = timedelta(hours=6)

# Stored as an entry's `last_error` in English (the catalog's message), translated when shown.
LIVE_SEND_FAILED: Final = N_("Sending it at once failed; the outbox retries it.")
NOT_QUEUED: Final = N_("It is being written.")
EXPIRED: Final = N_("Discord did not take it before its deadline, so it was given up.")


class WeeklyDigest(BaseModel):
    """A server's digest of one ISO week, written and waiting to be posted."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    channel_id: int
    # ISO week, e.g. "2026-W47".
    week: str
    text: str
    totals: WeekTotals

    @property
    def dedupe_key(self) -> str:
        return digest_key(self.guild_id, self.week)

    def outbox_message(self, now: datetime) -> OutboxFields:
        return _leased(DIGEST_KIND, self, self.dedupe_key, now, DIGEST_KEPT_FOR)


def digest_key(guild_id: int, week: str) -> str:
    """One digest entry per server and week: queueing it again keeps the first."""
    return f"{DIGEST_KIND}:{guild_id}:{week}"


class AdminNotice(BaseModel):
    """A private message to a server admin about that server's settings."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    user_id: int
    text: str

    def outbox_message(self, *, dedupe_key: str, now: datetime) -> OutboxFields:
        return _leased(ADMIN_NOTICE_KIND, self, dedupe_key, now, NOTICE_KEPT_FOR)


class RecordAnnouncement(BaseModel):
    """A player's new personal best or milestone, to be posted in the squad's channel."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    channel_id: int
    user_id: int
    match_id: str
    # `Record.key`: names the record for good, so it is announced once, whatever replays.
    record_key: str
    text: str

    @property
    def dedupe_key(self) -> str:
        return f"{RECORD_KIND}:{self.record_key}"

    def outbox_message(self, now: datetime, *, leased: bool = True) -> OutboxFields:
        """Leased to the process that posts it at once; or, from a process that cannot post
        (the API), due at once for the bot's outbox consumer."""
        message = _leased(RECORD_KIND, self, self.dedupe_key, now, RECORD_KEPT_FOR)
        return message if leased else message.model_copy(update={"available_at": now})


def _leased(
    kind: str, payload: BaseModel, dedupe_key: str, now: datetime, kept_for: timedelta
) -> OutboxFields:
    return OutboxFields(
        kind=kind,
        payload=payload.model_dump(mode="json"),
        dedupe_key=dedupe_key,
        available_at=now + LIVE_LEASE,
        expires_at=now + kept_for,
        created_at=now,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class HandedOver:
    """A command's answer when its outcome is another outbox entry's delivery."""

    dedupe_key: str


class DeliveryPending(DomainError):
    """The entry is queued (or about to be) but not delivered yet: look again later."""

    def __init__(self, last_error: str | None = None) -> None:
        if last_error:
            super().__init__(_("Not posted yet: {why}", why=_(last_error)))
        else:
            super().__init__(_("Not posted yet."))


class DeliveryFailed(DomainError):
    """The entry was given up; `user_message` is its reason."""

    def __init__(self, reason: str | None = None) -> None:
        # A reason Debrief wrote is a catalog message, stored in English: shown translated.
        super().__init__(_(reason) if reason else None)
