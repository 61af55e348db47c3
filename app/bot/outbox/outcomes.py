"""What became of one delivery attempt, as the consumer records it in the outbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from app.core.outbox import OutboxMessage


@dataclass(frozen=True, slots=True)
class Delivered:
    """Done, now or by an earlier delivery of the same message (handlers are idempotent)."""


@dataclass(frozen=True, slots=True)
class Failed:
    """Retrying cannot help. `reason` is shown to whoever asked: short, and never internals."""

    reason: str


@dataclass(frozen=True, slots=True)
class RetryLater:
    """A passing failure (an outage, a timeout). `reason` is short, and never internals."""

    reason: str


Outcome = Delivered | Failed | RetryLater
Deliver = Callable[[OutboxMessage], Awaitable[Outcome]]
