"""The handler tables: exactly one handler per command, a list of subscribers per event.

Handlers are plain async functions taking the message, `emit`, and their dependencies by name;
`bootstrap()` binds the dependencies. Each process runs a selection: the bot all of them, the
API only what it dispatches, so neither holds a handler it could not run.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core import commands, events
from app.core.handlers.ask import answer_question
from app.core.handlers.debriefs import write_debrief
from app.core.handlers.deliveries import follow_delivery
from app.core.handlers.digest_requests import queue_for_the_bot, request_digest_now
from app.core.handlers.digests import (
    post_digest,
    replay_admin_notice,
    replay_digest,
    send_digest,
    tell_admin_digest_is_off,
)
from app.core.handlers.guilds import update_guild_config
from app.core.handlers.links import link_gamertag, unlink_gamertag
from app.core.handlers.matches import (
    correct_match,
    delete_debrief_of_deleted_match,
    delete_match,
    record_match,
)
from app.core.handlers.records import (
    announce_records,
    hand_records_to_the_bot,
    replay_record_announcement,
)
from app.core.handlers.replies import (
    abandon_match_reply,
    owe_match_reply,
    renew_match_reply,
    replay_match_reply,
    send_match_reply,
)
from app.core.handlers.screenshots import analyze_screenshots
from app.core.handlers.seasons import start_season
from app.core.handlers.squad import (
    capture_squad_mates,
    disown_captured_match,
    finish_pending_captures,
    replay_capture_notice,
    tell_captured_member,
)
from app.core.messages import Command, Event

RawHandler = Callable[..., Any]


@dataclass(frozen=True)
class HandlerTables:
    commands: Mapping[type[Command], RawHandler]
    events: Mapping[type[Event], Sequence[RawHandler]]

    def only(
        self, commands: Collection[type[Command]], events: Collection[type[Event]]
    ) -> HandlerTables:
        """These commands' handlers and these events' subscribers, nothing else."""
        return HandlerTables(
            commands={kind: h for kind, h in self.commands.items() if kind in commands},
            events={kind: hs for kind, hs in self.events.items() if kind in events},
        )


COMMAND_HANDLERS: Mapping[type[Command], RawHandler] = {
    commands.RecordMatch: record_match,
    commands.CorrectMatch: correct_match,
    commands.DeleteMatch: delete_match,
    commands.UpdateGuildConfig: update_guild_config,
    commands.AnalyzeScreenshots: analyze_screenshots,
    commands.AskQuestion: answer_question,
    commands.PostDigest: post_digest,
    commands.ReplayDigest: replay_digest,
    commands.ReplayAdminNotice: replay_admin_notice,
    commands.ReplayRecordAnnouncement: replay_record_announcement,
    commands.FollowDelivery: follow_delivery,
    commands.RequestDigestNow: request_digest_now,
    commands.OweMatchReply: owe_match_reply,
    commands.RenewMatchReply: renew_match_reply,
    commands.AbandonMatchReply: abandon_match_reply,
    commands.ReplayMatchReply: replay_match_reply,
    commands.LinkGamertag: link_gamertag,
    commands.UnlinkGamertag: unlink_gamertag,
    commands.StartSeason: start_season,
    commands.ReplayCaptureNotice: replay_capture_notice,
    commands.DisownCapturedMatch: disown_captured_match,
    commands.FinishPendingCaptures: finish_pending_captures,
}

EVENT_HANDLERS: Mapping[type[Event], Sequence[RawHandler]] = {
    events.MatchSaved: (write_debrief,),
    events.MatchCorrected: (write_debrief,),
    events.MatchDeleted: (delete_debrief_of_deleted_match,),
    events.LobbyRead: (capture_squad_mates,),
    events.MatchCaptured: (tell_captured_member,),
    # The reply first: the player hears of their match before the squad hears of its record.
    events.DebriefWritten: (send_match_reply, announce_records),
    events.DigestWritten: (send_digest,),
    events.DigestChannelRefused: (tell_admin_digest_is_off,),
    events.DigestRequested: (queue_for_the_bot,),
}

# The bot runs everything: it is the process that talks to Discord.
BOT_HANDLERS = HandlerTables(COMMAND_HANDLERS, EVENT_HANDLERS)
# The API corrects, deletes, configures, links names, starts seasons and answers. It never
# posts into Discord: it asks the bot through the outbox (`app/core/cross_process.py`), so it
# has no digest, notice or reply handler.
_API_SELECTION = BOT_HANDLERS.only(
    commands=(
        commands.CorrectMatch,
        commands.DeleteMatch,
        commands.UpdateGuildConfig,
        commands.AskQuestion,
        commands.RequestDigestNow,
        commands.LinkGamertag,
        commands.UnlinkGamertag,
        commands.StartSeason,
    ),
    events=(events.MatchCorrected, events.MatchDeleted, events.DigestRequested),
)
# A correction's debrief may set a record: the API queues its announcement for the bot.
API_HANDLERS = HandlerTables(
    _API_SELECTION.commands,
    {**_API_SELECTION.events, events.DebriefWritten: (hand_records_to_the_bot,)},
)
