"""Commands the API hands to the bot through the outbox, and how far they got."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.core.outbox import OutboxMessage, OutboxStatus


class CommandAccepted(BaseModel):
    command_id: str
    status_url: str = Field(description="Where to follow the command: GET it for its status.")


class CommandStatus(BaseModel):
    id: str
    kind: str
    status: OutboxStatus = Field(description="pending, delivered, expired or failed (gave up).")
    attempts: int
    created_at: datetime
    delivered_at: datetime | None
    last_error: str | None = Field(default=None, description="Why the last attempt failed.")

    @classmethod
    def of(cls, message: OutboxMessage) -> CommandStatus:
        return cls(
            id=message.id,
            kind=message.kind,
            status=message.status,
            attempts=message.attempts,
            created_at=message.created_at,
            delivered_at=message.delivered_at,
            last_error=message.last_error,
        )
