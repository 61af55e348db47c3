"""What the fault tests share: slow answers, the reply on record, and Discord's routes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from app.core.outbox import MATCH_REPLY_KIND
from app.shared.db.connection import Database
from devtools.discord_emulator import InteractionHandle
from devtools.gemini_stub import JsonAnswer, Match, Rule
from tests.e2e.bot.support import AI_DEBRIEF, DEBRIEF_PROMPT, MANIFEST, prepared_sha256
from tests.e2e.faults.processes import FaultStack

JSON = dict[str, Any]

# The bot's per-attempt Gemini timeout in this package: the timeout tests take seconds, and the
# stub's normal answers come well within it.
GEMINI_TIMEOUT_MS = 3000
# Discord's routes for an interaction's follow-ups and for editing its messages.
FOLLOW_UP = "/webhooks/{webhook_id}/{webhook_token}"
EDIT_MESSAGE = "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
# What the bot tells a player when its database is unreachable, or anything unforeseen fails.
DATABASE_UNAVAILABLE = "Debrief can't reach its database right now; please try again in a minute."
GENERIC = "Something went wrong on our side. It has been logged; please try again."
AI_UNAVAILABLE = "The AI is unavailable right now; please try again in a minute."


def read_slowly(stack: FaultStack, sample_file: str, latency_s: float) -> None:
    """The stub reads this sample as usual, after `latency_s`."""
    stack.stub.add_rule(
        Rule.always(
            Match(image_sha256=(prepared_sha256(sample_file),)),
            JsonAnswer(
                {**MANIFEST.by_file(sample_file).answer, "readable": True}, latency_s=latency_s
            ),
        )
    )


def debrief_slowly(stack: FaultStack, latency_s: float) -> None:
    """The stub writes every debrief as usual, after `latency_s`."""
    stack.stub.add_rule(
        Rule.always(
            Match(prompt_contains=DEBRIEF_PROMPT), JsonAnswer(AI_DEBRIEF, latency_s=latency_s)
        )
    )


def asked_for_a_debrief(stack: FaultStack) -> bool:
    return any(DEBRIEF_PROMPT in text for r in stack.stub.requests for text in r.system_texts)


async def owed_reply(database: Database, handle: InteractionHandle) -> JSON | None:
    """The outbox message holding the bot's reply to this interaction, if there is one."""
    found: JSON | None = await database.db["outbox"].find_one(
        {"dedupe_key": f"{MATCH_REPLY_KIND}:{handle.id}"}
    )
    return found


async def reply_status(database: Database, handle: InteractionHandle) -> str | None:
    message = await owed_reply(database, handle)
    return None if message is None else str(message["status"])


async def reply_status_is(database: Database, handle: InteractionHandle, status: str) -> bool:
    return await reply_status(database, handle) == status


def follow_ups_sent(stack: FaultStack, handle: InteractionHandle, status: int) -> int:
    """How many follow-ups of this interaction Discord answered with `status`."""
    return stack.emulator.request_log.count("POST", f"/webhooks/*/{handle.token}", status=status)


@dataclass(frozen=True)
class Figure:
    test: str
    what: str
    value: float
    unit: str


# What the fault tests measured in this run, printed at its end; never asserted.
FIGURES: list[Figure] = []


@dataclass
class Figures:
    """Records one test's measurements: `figures.seconds_since(start, "what")`."""

    test: str

    def record(self, what: str, value: float, unit: str = "") -> None:
        FIGURES.append(Figure(self.test, what, value, unit))

    def seconds_since(self, start: float, what: str) -> None:
        self.record(what, time.monotonic() - start, "s")


def figures_table(figures: list[Figure]) -> list[str]:
    width = max(len(f"{f.test}: {f.what}") for f in figures)
    lines = []
    for f in figures:
        value = f"{f.value:.2f}" if f.unit == "s" else f"{f.value:g}"
        lines.append(f"{f'{f.test}: {f.what}':<{width}}  {value:>8} {f.unit}".rstrip())
    return lines
