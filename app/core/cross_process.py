"""Messages one process writes into the outbox for the other, as models both sides share.

The API validates what it writes with the same model the bot reads it with, so the two cannot
disagree on a field; a payload the model refuses is failed as malformed by the bot.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from app.core.outbox import POST_DIGEST_KIND, OutboxFields


class PostDigestRequest(BaseModel):
    """ "Post this server's digest now", from an admin through the API, carried out by the bot."""

    model_config = ConfigDict(frozen=True)

    KIND: ClassVar[str] = POST_DIGEST_KIND

    guild_id: int
    requested_by: int | None = None

    def outbox_message(
        self, *, dedupe_key: str, now: datetime, deadline: timedelta
    ) -> OutboxFields:
        return OutboxFields(
            kind=self.KIND,
            payload=self.model_dump(mode="json"),
            dedupe_key=dedupe_key,
            available_at=now,
            expires_at=now + deadline,
            created_at=now,
        )
