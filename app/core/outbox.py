"""Work kept in MongoDB until it is delivered: replies, follow-ups, cross-process commands."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    # Gave up: retried until its deadline passed. Kept so the API and the user can see it.
    EXPIRED = "expired"


class OutboxFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    payload: dict[str, Any] = Field(default_factory=dict)
    # Makes enqueueing idempotent: the same delivery is never queued twice.
    dedupe_key: str
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    # A claimed message becomes available again when its lease runs out, so a consumer that
    # dies mid-delivery does not lose it.
    available_at: datetime
    expires_at: datetime
    created_at: datetime
    delivered_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=200)


class OutboxMessage(OutboxFields):
    id: str
