"""Who took on a server's digest of one week, and what a "post now" request that lost the week
to someone else is told.

The claim is the once-per-week rule (one document per server and week, its unique index the
lock). It names who took it on, so that a request retried after its own claim follows its own
digest, while a request that lost to the schedule or to another request is told which digest
stands instead of being reported delivered for a post it never made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.core.deliveries import EXPIRED
from app.core.errors import DomainError
from app.core.i18n import N_, _
from app.core.outbox import OutboxMessage, OutboxStatus

REFUSED = N_("Discord refused it.")


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestClaim:
    claimed_at: datetime
    # The outbox key of the "post now" request that took the week on; None: the schedule.
    request_key: str | None = None


class DigestTakenByAnother(DomainError):
    """A "post now" request found its week's digest taken on by the schedule or by another
    request: nothing is posted for it. Not a `Conflict`, which the outbox delivery counts as
    delivered: this request delivered nothing, and says which digest stands instead."""

    def __init__(self, week: str, claim: DigestClaim, digest: OutboxMessage | None) -> None:
        super().__init__(_what_became_of(week, claim, digest))


def _what_became_of(week: str, claim: DigestClaim, digest: OutboxMessage | None) -> str:
    if digest is not None and digest.delivered_at is not None:
        return _(
            "This week's digest ({week}) was already posted, at {posted}: one digest a week, "
            "so this request posted nothing.",
            week=week,
            posted=utc_minute(digest.delivered_at),
        )
    taken = utc_minute(claim.claimed_at)
    given_up = _why_given_up(digest)
    if given_up is not None:
        return _(
            "This week's digest ({week}) was taken on at {taken} and not posted: {why} "
            "This request posted nothing either: one digest a week.",
            week=week,
            taken=taken,
            why=given_up,
        )
    return _(
        "This week's digest ({week}) is already being posted, since {taken}: one digest a "
        "week, so this request posted nothing.",
        week=week,
        taken=taken,
    )


def _why_given_up(digest: OutboxMessage | None) -> str | None:
    """Why the digest that stands was given up, translated if Debrief wrote the reason."""
    if digest is None or digest.status is OutboxStatus.PENDING:
        return None
    if digest.status is OutboxStatus.EXPIRED:
        return _(EXPIRED)
    return _(digest.last_error or REFUSED)


def utc_minute(moment: datetime) -> str:
    """E.g. "2026-11-20 18:00 UTC"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
