"""The reply a /debrief or /log owes: put on record first, sent once the debrief exists.

    OweMatchReply ─▶ outbox entry, leased to this process
    RenewMatchReply ─▶ leased again, when the work waited in line for a place (admission)
    RecordMatch / AnalyzeScreenshots ─▶ MatchSaved ─▶ write_debrief ─▶ DebriefWritten
    DebriefWritten ─▶ send_match_reply ─▶ deliver_match_reply ─▶ delivered, or handed over
    the work fails before a match is saved ─▶ AbandonMatchReply ─▶ closed as failed
    the lease runs out (the process died, or handed it over) ─▶ ReplayMatchReply

The live reply and the replay make the same decisions (`deliver_match_reply`) through the same
sender, so a reply reads the same whichever process sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from app.core.ai import DebriefWriter
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import (
    AbandonMatchReply,
    OweMatchReply,
    RenewMatchReply,
    ReplayMatchReply,
)
from app.core.debriefs import Debrief
from app.core.events import DebriefWritten
from app.core.handlers.debriefs import debrief_match
from app.core.matches import Match, MatchSource
from app.core.ports import (
    AnalyticsRepository,
    DebriefRepository,
    GuildLanguages,
    MatchReplySender,
    MatchRepository,
    OutboxRepository,
)
from app.core.replies import (
    HANDED_OVER,
    NOTHING_SAVED,
    MatchReplyRequest,
    NobodyToTell,
    OwedReply,
    match_reply,
)

logger = logging.getLogger(__name__)


async def owe_match_reply(
    cmd: OweMatchReply,
    *,
    emit: Emit,
    outbox: OutboxRepository,
    match_reply_lease: timedelta,
    clock: Clock,
) -> OwedReply:
    message = await outbox.enqueue(match_reply(cmd.request, now=clock(), lease=match_reply_lease))
    return OwedReply(message_id=message.id, request=cmd.request)


async def renew_match_reply(
    cmd: RenewMatchReply,
    *,
    emit: Emit,
    outbox: OutboxRepository,
    match_reply_lease: timedelta,
    clock: Clock,
) -> None:
    await outbox.extend_lease(cmd.reply.message_id, clock() + match_reply_lease)


async def abandon_match_reply(
    cmd: AbandonMatchReply, *, emit: Emit, outbox: OutboxRepository
) -> None:
    # Only a pending reply is closed: one already sent stays delivered.
    await outbox.mark_failed(cmd.reply.message_id, NOTHING_SAVED)


async def send_match_reply(
    event: DebriefWritten,
    *,
    emit: Emit,
    outbox: OutboxRepository,
    matches: MatchRepository,
    match_replies: MatchReplySender,
    clock: Clock,
) -> None:
    """The live reply, from the process that did the work, with what it has just written."""
    owed = event.reply
    if owed is None:  # a correction, or a replay's debrief: nothing to answer here
        return
    try:
        captured = await captured_from(matches, event.match)
        await deliver_match_reply(
            owed.request, event.match, event.debrief, match_replies, clock(), captured
        )
    except Exception:
        logger.warning(
            "replying with match %s failed; handing the reply to the outbox",
            event.match.id,
            exc_info=True,
        )
        await outbox.retry_later(owed.message_id, clock(), HANDED_OVER)
        return
    await outbox.mark_delivered(owed.message_id, clock())


async def replay_match_reply(
    cmd: ReplayMatchReply,
    *,
    emit: Emit,
    matches: MatchRepository,
    debriefs: DebriefRepository,
    analytics: AnalyticsRepository,
    debrief_writer: DebriefWriter,
    guild_languages: GuildLanguages,
    match_replies: MatchReplySender,
    clock: Clock,
) -> None:
    """A reply the outbox consumer claimed; the consumer records the outcome."""
    request = cmd.reply.request
    match = await matches.find_by_interaction(request.match_interaction_id)
    debrief = None
    if match is not None:
        debrief = await debriefs.get_for_match(match.id)
        if debrief is None:
            # The live process died before writing it: the same writer, AI or template.
            debrief = await debrief_match(
                match,
                matches=matches,
                debriefs=debriefs,
                analytics=analytics,
                debrief_writer=debrief_writer,
                guild_languages=guild_languages,
                clock=clock,
            )
            emit(DebriefWritten(match=match, debrief=debrief))
    captured = await captured_from(matches, match) if match is not None else []
    await deliver_match_reply(request, match, debrief, match_replies, clock(), captured)


async def captured_from(matches: MatchRepository, match: Match) -> list[Match]:
    """The squad mates' matches recorded from this upload, for the reply to name: only a read
    scoreboard has other rows (`app/core/handlers/squad.py`), so a match typed in has none."""
    if match.source is not MatchSource.AI:
        return []
    return await matches.captured_from(match.id)


async def deliver_match_reply(
    request: MatchReplyRequest,
    match: Match | None,
    debrief: Debrief | None,
    sender: MatchReplySender,
    now: datetime,
    captured: Sequence[Match] = (),
) -> None:
    """Answer through the interaction while its token lives, else in the channel.

    Raises NobodyToTell when there is no match and no way left to say so.
    """
    token_lives = request.token_lives(now)
    if match is None:
        if not token_lives:
            raise NobodyToTell
        await sender.tell_not_saved(request)
        return
    if not (token_lives and await sender.follow_up(request, match, debrief, captured)):
        await sender.post_in_channel(request, match, debrief, captured)
