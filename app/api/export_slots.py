"""How many CSV exports stream at once in this process: a few in all, one per user.

An export reads every match of a listing, for as long as the client takes to download it,
so a rate limit alone does not bound the work in progress. A slot is taken before the
response starts and given back when it has been sent, failed or been cut off.

The excess is refused at once rather than queued: the user's own second export gets 429 (it
is theirs to wait for), a full process 503 (the server is busy); both with Retry-After.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Mapping
from typing import cast

from fastapi import HTTPException, Request, status
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from app.core.errors import CooldownActive
from app.core.i18n import N_, _

RETRY_AFTER_S = 10
EXPORTS_BUSY = N_("Too many exports are running right now; try again in a few seconds.")


class ExportInProgress(CooldownActive):
    def __init__(self) -> None:
        super().__init__(RETRY_AFTER_S)
        self.user_message = _("Your previous export is still running; try again once it is done.")


class ExportSlot:
    def __init__(self, slots: ExportSlots, user_id: int) -> None:
        self._slots = slots
        self._user_id = user_id

    def release(self) -> None:
        self._slots.release(self._user_id)


class ExportSlots:
    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._users: set[int] = set()

    @property
    def in_use(self) -> int:
        return len(self._users)

    def take(self, user_id: int) -> ExportSlot:
        # No await between the checks and the add: one event loop, so no lock is needed.
        if user_id in self._users:
            raise ExportInProgress
        if len(self._users) >= self._capacity:
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE,
                detail=_(EXPORTS_BUSY),
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        self._users.add(user_id)
        return ExportSlot(self, user_id)

    def release(self, user_id: int) -> None:
        self._users.discard(user_id)


class SlotHoldingResponse(StreamingResponse):
    """A streamed response that gives its export slot back however the streaming ends."""

    def __init__(
        self,
        content: AsyncIterable[str],
        *,
        slot: ExportSlot,
        media_type: str,
        headers: Mapping[str, str],
    ) -> None:
        super().__init__(content, media_type=media_type, headers=headers)
        self._slot = slot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._slot.release()


def get_export_slots(request: Request) -> ExportSlots:
    return cast(ExportSlots, request.app.state.export_slots)
