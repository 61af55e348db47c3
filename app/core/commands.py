"""Commands: what a user or a process asks Debrief to do. Exactly one handler each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.actors import Actor
from app.core.deliveries import AdminNotice, RecordAnnouncement, WeeklyDigest
from app.core.guilds import AskScope
from app.core.matches import MatchSource
from app.core.messages import Command
from app.core.replies import MatchReplyRequest, OwedReply
from app.core.squad.notices import CaptureNotice


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordMatch(Command):
    """Validate raw stats (from the AI or a modal) and save them as a new match."""

    guild_id: int
    channel_id: int
    user_id: int
    interaction_id: int
    raw_stats: Mapping[str, Any]
    source: MatchSource
    played_at: datetime
    screenshot_hashes: tuple[str, ...] = ()
    note: str | None = None
    # The reply on record for the interaction; sent once the match and its debrief exist.
    reply: OwedReply | None = None
    # A checking reader's raw stats of the same screenshots: each field where they disagree
    # with `raw_stats` is flagged on the match.
    second_reading: Mapping[str, Any] | None = None
    # The player's linked names the reader was given: the match records whether its row was
    # found by one of them or by the highlight.
    known_gamertags: tuple[str, ...] = ()
    # The scoreboard's other rows (raw): the valid ones are saved with the match, marked for
    # the squad's captures, in the same insert (`MatchFields.capture_pending`).
    lobby: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectMatch(Command):
    match_id: str
    actor: Actor
    raw_stats: Mapping[str, Any]
    # The fields the person saw and confirmed, by path (`app/core/game/disagreements.py`):
    # the readers' disagreements on them are settled. None: all of them (a whole new reading).
    reviewed: frozenset[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteMatch(Command):
    match_id: str
    actor: Actor


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateGuildConfig(Command):
    guild_id: int
    actor: Actor
    changes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Upload:
    """A file attached to an interaction, already downloaded."""

    filename: str
    declared_type: str | None
    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyzeScreenshots(Command):
    """Read a match from 1-2 screenshots with the AI, validate it, save it, debrief it."""

    guild_id: int
    channel_id: int
    user_id: int
    interaction_id: int
    uploads: tuple[Upload, ...]
    # Discord tells each interaction how large an attachment may be (boosted servers: more).
    size_limit: int
    played_at: datetime
    note: str | None = None
    reply: OwedReply | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OweMatchReply(Command):
    """Put the reply to a /debrief or /log on record before any work, leased to this process."""

    request: MatchReplyRequest


@dataclass(frozen=True, slots=True, kw_only=True)
class RenewMatchReply(Command):
    """The work waited in line for a place and starts now: lease its reply again."""

    reply: OwedReply


@dataclass(frozen=True, slots=True, kw_only=True)
class AbandonMatchReply(Command):
    """The work failed before a match was saved, and the error told the player why."""

    reply: OwedReply


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayMatchReply(Command):
    """Send a reply that the process which owed it did not send (it died, or handed it over)."""

    reply: OwedReply


@dataclass(frozen=True, slots=True, kw_only=True)
class AskQuestion(Command):
    guild_id: int
    user_id: int
    question: str
    # None: the server's default from /config.
    scope: AskScope | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PostDigest(Command):
    """Write one server's weekly digest and queue it to be posted, at most once per ISO week.

    Answers `HandedOver` with the week's digest entry, queued now or already; a request
    (`request_key`) that finds the week taken by the schedule or another request raises
    `DigestTakenByAnother`, since nothing is posted for it.
    """

    guild_id: int
    # ISO week, e.g. "2026-W47", the whole of it; None: the seven days up to the post
    # (app/core/debriefing/digest.py: up to the scheduled hour, or up to now when asked).
    week: str | None = None
    # Set when an admin asked for it now (from the API): it skips the schedule, not the
    # once-per-week rule.
    requested_by: int | None = None
    # That request's outbox key: a request that finds the week taken by anyone else is told
    # so (`DigestTakenByAnother`); one retried after its own claim follows its own digest.
    request_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayDigest(Command):
    """Post a digest that the process which queued it did not post (it died, or Discord failed)."""

    digest: WeeklyDigest


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayAdminNotice(Command):
    """Send a notice to an admin that the process which queued it did not send."""

    notice: AdminNotice


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayRecordAnnouncement(Command):
    """Post a personal best or milestone that the process which queued it did not post."""

    announcement: RecordAnnouncement


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowDelivery(Command):
    """How far the outbox entry with this dedupe key got: returns once it is delivered, raises
    DeliveryPending while it waits, DeliveryFailed once it was given up."""

    dedupe_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestDigestNow(Command):
    """An admin asks, from the web, for the server's digest to be posted now (by the bot).

    Answers the dedupe key of the request queued for the bot; the same idempotency key
    queues it once.
    """

    guild_id: int
    actor: Actor
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkGamertag(Command):
    """Say an on-screen name is a member's own. With `member_id` (an admin only): give the name
    to that member, whoever had it."""

    guild_id: int
    actor: Actor
    gamertag: str
    member_id: int | None = None
    # The member's opt-in to whole-squad capture for this name. None: as it is (off for a new
    # link); linking the name again with a value changes it.
    auto_record: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnlinkGamertag(Command):
    """Unlink one of the actor's names; an admin may unlink anyone's."""

    guild_id: int
    actor: Actor
    gamertag: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StartSeason(Command):
    """An admin starts a new season: the ending season's top three are frozen with it."""

    guild_id: int
    actor: Actor
    name: str
    # "interaction:<id>" from the bot, the Idempotency-Key from the API.
    idempotency_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplayCaptureNotice(Command):
    """Tell a squad mate about their captured match: a notice the process that queued it did
    not send (it died, or Discord failed)."""

    notice: CaptureNotice


@dataclass(frozen=True, slots=True, kw_only=True)
class FinishPendingCaptures(Command):
    """The capture sweeper's round: uploads whose squad captures a process began and did not
    finish (it died, or the database failed) are captured now (`app/core/handlers/squad.py`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DisownCapturedMatch(Command):
    """ "Not me": the member says a match captured for them was not theirs; it is deleted."""

    match_id: str
    actor: Actor
