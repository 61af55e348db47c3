"""The handler tables: exactly one handler per command, a list of subscribers per event.

Handlers are plain async functions taking the message, `emit`, and their dependencies by name;
`bootstrap()` binds the dependencies. Adapters add their own subscribers (e.g. the bot's
Discord replies) at bootstrap time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.core import commands, events
from app.core.handlers.ask import answer_question
from app.core.handlers.debriefs import write_debrief
from app.core.handlers.digests import post_digest, tell_admin_digest_is_off
from app.core.handlers.guilds import update_guild_config
from app.core.handlers.matches import (
    correct_match,
    delete_debrief_of_deleted_match,
    delete_match,
    record_match,
)
from app.core.handlers.screenshots import analyze_screenshots
from app.core.messages import Command, Event

RawHandler = Callable[..., Any]

COMMAND_HANDLERS: Mapping[type[Command], RawHandler] = {
    commands.RecordMatch: record_match,
    commands.CorrectMatch: correct_match,
    commands.DeleteMatch: delete_match,
    commands.UpdateGuildConfig: update_guild_config,
    commands.AnalyzeScreenshots: analyze_screenshots,
    commands.AskQuestion: answer_question,
    commands.PostDigest: post_digest,
}

EVENT_HANDLERS: Mapping[type[Event], Sequence[RawHandler]] = {
    events.MatchSaved: (write_debrief,),
    events.MatchCorrected: (write_debrief,),
    events.MatchDeleted: (delete_debrief_of_deleted_match,),
    events.GuildConfigUpdated: (),
    events.DebriefWritten: (),
    events.QuestionAnswered: (),
    events.DigestPosted: (),
    events.DigestChannelRefused: (tell_admin_digest_is_off,),
}
