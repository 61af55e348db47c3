"""Whole-squad capture: one uploaded scoreboard records the match for the uploader's linked,
opted-in squad mates too (docs/decisions/0008-whole-squad-capture.md).

    /debrief saves the uploader's match ─▶ LobbyRead ─▶ capture_squad_mates
        each valid row whose name a mate linked with auto_record on, and who has no such
        match yet ─▶ their match (source "captured") ─▶ MatchSaved, MatchCaptured
    MatchCaptured ─▶ tell_captured_member: an outbox entry, sent at once (a DM, or a
        mention-free line in the upload's channel when their DMs are closed), retried otherwise
    a mate's own upload of a match already captured for them ─▶ AlreadyRecorded, nothing saved
"""
