"""Reading the emulator's records of the benchmark's interactions: what Discord saw."""

from __future__ import annotations

from app.bot.queue_notices import DEBRIEF_ACK
from bench._interactions_figures import RestCall, Timing, first_callbacks
from devtools.discord_emulator import BotResponse, InteractionHandle
from devtools.discord_emulator.request_log import LoggedRequest, RequestLog

# How every "Queued, N ahead" line starts (app/bot/queue_notices.py).
QUEUED = "Queued, "
# Follow-ups go to the interaction's webhook, named by its token.
WEBHOOK = "/webhooks/{webhook_id}/{webhook_token}"


def rest_calls(log: RequestLog) -> list[RestCall]:
    return [rest_call(entry) for entry in log.entries]


def rest_call(entry: LoggedRequest) -> RestCall:
    return RestCall(entry.at, entry.path, entry.template, entry.status, entry.duration)


def post_arrivals(log: RequestLog) -> dict[str, float]:
    """When the first accepted follow-up of each interaction arrived, by interaction token:
    a /debrief's first follow-up is its public debrief."""
    arrivals: dict[str, float] = {}
    for entry in log.entries:
        if entry.method == "POST" and entry.template == WEBHOOK and entry.status < 400:
            arrivals.setdefault(entry.path.rsplit("/", 1)[-1], entry.at)
    return arrivals


class CallbackWatch:
    """The first callback of each interaction, read from the request log as it grows."""

    def __init__(self, log: RequestLog) -> None:
        self._log = log
        self._read = 0
        self._first: dict[int, RestCall] = {}

    def catch_up(self) -> None:
        new = self._log.entries[self._read :]
        self._read += len(new)
        for interaction_id, call in first_callbacks(map(rest_call, new)).items():
            self._first.setdefault(interaction_id, call)

    def of(self, interaction_id: int) -> RestCall | None:
        return self._first.get(interaction_id)


def is_over(handle: InteractionHandle, callback: RestCall | None) -> bool:
    """The private line was replaced by an outcome ("Saved as…" or an error), or Discord
    refused the acknowledgement, after which the bot can no longer answer."""
    refused = callback is not None and callback.refused
    return refused or any(is_outcome(edit) for edit in _edits(handle))


def _edits(handle: InteractionHandle) -> list[BotResponse]:
    return [response for response in handle.record.responses if response.kind == "edit"]


def _content(edit: BotResponse) -> str:
    payload = edit.payload if isinstance(edit.payload, dict) else {}
    return str(payload.get("content") or "")


def is_queue_notice(edit: BotResponse) -> bool:
    return _content(edit).startswith(QUEUED)


def is_outcome(edit: BotResponse) -> bool:
    """Not progress: neither a place in line nor "Reading your screenshots…" again."""
    return not is_queue_notice(edit) and _content(edit) != DEBRIEF_ACK


def timing_of(
    handle: InteractionHandle, callback: RestCall | None, post_arrived_at: float | None = None
) -> Timing:
    public = [
        response
        for response in handle.record.responses
        if response.kind == "followup" and response.message and not response.message.ephemeral
    ]
    original = handle.original_message
    edits = _edits(handle)
    edited = any(is_outcome(edit) for edit in edits)
    return Timing(
        interaction_id=handle.id,
        dispatched_at=handle.record.created_at,
        callback=callback,
        posted_at=public[0].at if public else None,
        public_posts=len(public),
        outcome=original.content if original is not None and edited else None,
        queue_notices=sum(1 for edit in edits if is_queue_notice(edit)),
        post_arrived_at=post_arrived_at if public else None,
    )
