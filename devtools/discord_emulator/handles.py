"""What a test holds after invoking an interaction: its payload and the bot's answers."""

from __future__ import annotations

from collections.abc import Callable

from .interactions import BotResponse, InteractionRecord, ResponseKind
from .messages import Message
from .messaging import LOADING
from .models import JSON
from .state import EmulatorState
from .waiting import ChangeNotifier

DEFAULT_TIMEOUT = 5.0


class InteractionHandle:
    def __init__(
        self, record: InteractionRecord, state: EmulatorState, notifier: ChangeNotifier
    ) -> None:
        self.record = record
        self._state = state
        self._notifier = notifier

    def __repr__(self) -> str:
        return f"<InteractionHandle id={self.id} type={self.record.type}>"

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def token(self) -> str:
        return self.record.token

    @property
    def payload(self) -> JSON:
        """The INTERACTION_CREATE data the bot received."""
        return self.record.payload

    @property
    def responses(self) -> list[BotResponse]:
        return list(self.record.responses)

    @property
    def callback_type(self) -> int | None:
        return self.record.callback_type

    @property
    def original_message(self) -> Message | None:
        message_id = self.record.original_message_id
        return None if message_id is None else self._state.messages.get(message_id)

    @property
    def followups(self) -> list[Message]:
        return self.record.followup_messages()

    @property
    def modal(self) -> JSON | None:
        """The modal the bot answered with (callback type 9), if any."""
        return self.record.modal

    async def wait_for_response(
        self,
        kind: ResponseKind | None = None,
        *,
        predicate: Callable[[BotResponse], bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> BotResponse:
        """The first response (past or future) of `kind` that satisfies `predicate`."""

        def probe() -> BotResponse | None:
            return next(
                (
                    r
                    for r in self.record.responses
                    if (kind is None or r.kind == kind) and (predicate is None or predicate(r))
                ),
                None,
            )

        return await self._notifier.wait_for(
            probe, timeout=timeout, what=f"a {kind or 'response'} to {self!r}"
        )

    async def wait_for_ack(
        self,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> BotResponse:
        """The callback: how the bot acknowledged the interaction."""
        return await self.wait_for_response("callback", timeout=timeout)

    async def wait_for_followup(
        self,
        nth: int = 1,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> Message:
        """The bot's `nth` follow-up message (1-based), including one that replaced a defer."""

        def probe() -> Message | None:
            sent = self.record.followup_messages()
            return sent[nth - 1] if len(sent) >= nth else None

        return await self._notifier.wait_for(
            probe, timeout=timeout, what=f"follow-up #{nth} of {self!r}"
        )

    async def wait_for_original(
        self,
        predicate: Callable[[Message], bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> Message:
        """The original response once it is no longer "thinking" (and satisfies `predicate`)."""

        def probe() -> Message | None:
            message = self.original_message
            if message is None or message.flags & LOADING or message.deleted:
                return None
            return message if predicate is None or predicate(message) else None

        return await self._notifier.wait_for(
            probe, timeout=timeout, what=f"the original response of {self!r}"
        )

    async def wait_for_modal(
        self,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> JSON:
        return await self._notifier.wait_for(
            lambda: self.record.modal, timeout=timeout, what=f"a modal from {self!r}"
        )
