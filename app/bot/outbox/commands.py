"""The outbox kinds the bot consumes, and the bus command each one becomes."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.core.commands import (
    PostDigest,
    ReplayAdminNotice,
    ReplayCaptureNotice,
    ReplayDigest,
    ReplayMatchReply,
    ReplayRecordAnnouncement,
)
from app.core.cross_process import PostDigestRequest
from app.core.deliveries import AdminNotice, RecordAnnouncement, WeeklyDigest
from app.core.messages import Command
from app.core.outbox import (
    ADMIN_NOTICE_KIND,
    CAPTURE_NOTICE_KIND,
    DIGEST_KIND,
    MATCH_REPLY_KIND,
    POST_DIGEST_KIND,
    RECORD_KIND,
    OutboxMessage,
)
from app.core.replies import MatchReplyRequest, OwedReply
from app.core.squad.notices import CaptureNotice


def _post_digest(message: OutboxMessage) -> PostDigest:
    request = PostDigestRequest.model_validate(message.payload)
    return PostDigest(
        guild_id=request.guild_id,
        requested_by=request.requested_by,
        request_key=message.dedupe_key,
    )


def _replay_reply(message: OutboxMessage) -> ReplayMatchReply:
    request = MatchReplyRequest.model_validate(message.payload)
    return ReplayMatchReply(reply=OwedReply(message_id=message.id, request=request))


def _replay_digest(message: OutboxMessage) -> ReplayDigest:
    return ReplayDigest(digest=WeeklyDigest.model_validate(message.payload))


def _replay_notice(message: OutboxMessage) -> ReplayAdminNotice:
    return ReplayAdminNotice(notice=AdminNotice.model_validate(message.payload))


def _replay_record(message: OutboxMessage) -> ReplayRecordAnnouncement:
    return ReplayRecordAnnouncement(announcement=RecordAnnouncement.model_validate(message.payload))


def _replay_capture_notice(message: OutboxMessage) -> ReplayCaptureNotice:
    return ReplayCaptureNotice(notice=CaptureNotice.model_validate(message.payload))


_COMMANDS: Mapping[str, Callable[[OutboxMessage], Command]] = {
    POST_DIGEST_KIND: _post_digest,
    MATCH_REPLY_KIND: _replay_reply,
    DIGEST_KIND: _replay_digest,
    ADMIN_NOTICE_KIND: _replay_notice,
    RECORD_KIND: _replay_record,
    CAPTURE_NOTICE_KIND: _replay_capture_notice,
}
# Every kind the bot claims.
BOT_KINDS = frozenset(_COMMANDS)
# Kinds that are due as soon as they are inserted, so their insert wakes the consumer. Replies,
# digests and notices are inserted leased to the process that sends them: the poll finds them
# once that lease runs out, or once the live send handed them over.
WAKE_FOR = frozenset({POST_DIGEST_KIND})


def command_for(message: OutboxMessage) -> Command:
    """The bus command a message asks for; pydantic's ValidationError if it is malformed.

    Only kinds in BOT_KINDS are ever claimed, so an unknown kind is a KeyError (a bug).
    """
    return _COMMANDS[message.kind](message)
