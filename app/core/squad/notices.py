"""The notice a captured squad mate gets, as an outbox entry: sent at once, retried otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from pydantic import BaseModel, ConfigDict

from app.core.deliveries import LIVE_LEASE
from app.core.outbox import CAPTURE_NOTICE_KIND, OutboxFields

# Worth telling the same day: after that the member has most likely seen it in /history.
CAPTURE_NOTICE_KEPT_FOR: Final = timedelta(hours=24)


class CaptureNotice(BaseModel):
    """Tell `user_id` that match `match_id` was recorded for them from `uploader_id`'s upload;
    `channel_id` is the upload's channel, for when their DMs are closed."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    channel_id: int
    user_id: int
    uploader_id: int
    match_id: str
    gamertag: str

    @property
    def dedupe_key(self) -> str:
        # One captured match, one notice, whatever replays.
        return f"{CAPTURE_NOTICE_KIND}:{self.match_id}"

    def outbox_message(self, now: datetime) -> OutboxFields:
        """Leased to the process that sends it at once; the outbox consumer replays it after."""
        return OutboxFields(
            kind=CAPTURE_NOTICE_KIND,
            payload=self.model_dump(mode="json"),
            dedupe_key=self.dedupe_key,
            available_at=now + LIVE_LEASE,
            expires_at=now + CAPTURE_NOTICE_KEPT_FOR,
            created_at=now,
        )
