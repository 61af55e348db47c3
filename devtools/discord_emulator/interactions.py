"""Interactions the emulator sent to the bot, and Discord's rules for answering them.

- The first answer (callback) must come within 3 seconds, and only once: a late one gets
  404 / 10062 "Unknown interaction", a second one 400 / 40060.
- The interaction token then works for 15 minutes for follow-ups and @original edits.
Both deadlines use the emulator clock, which tests can advance instead of waiting.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

from .clock import Clock
from .config import EmulatorConfig
from .errors import (
    ALREADY_ACKNOWLEDGED,
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    BodyError,
    DiscordHTTPError,
    invalid_form_body,
    not_found,
)
from .messages import Message
from .models import JSON
from .waiting import ChangeNotifier

APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT = 2, 3, 5
# Callback types.
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL = 4, 5, 6, 7, 9
# Which callbacks Discord allows for each interaction type.
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE,
        UPDATE_MESSAGE,
        MODAL,
    },
    MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}

ResponseKind = Literal["callback", "followup", "edit", "delete"]


@dataclass(frozen=True)
class BotResponse:
    """One thing the bot did with an interaction, in the order it happened."""

    kind: ResponseKind
    at: float
    payload: Any
    callback_type: int | None = None
    message: Message | None = None


@dataclass
class InteractionRecord:
    id: int
    token: str
    type: int
    # None: in a DM with the bot (a button under a message it sent privately).
    guild_id: int | None
    channel_id: int
    user_id: int
    created_at: float
    payload: JSON
    source_message_id: int | None = None  # the message whose component was used
    callback_type: int | None = None
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    modal: JSON | None = None
    responses: list[BotResponse] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return self.callback_type is not None

    def followup_messages(self) -> list[Message]:
        """Messages sent as follow-ups, including one that replaced a "thinking" defer."""
        return [r.message for r in self.responses if r.kind == "followup" and r.message]


class InteractionRegistry:
    def __init__(self, config: EmulatorConfig, clock: Clock, notifier: ChangeNotifier) -> None:
        self._config = config
        self._clock = clock
        self._notifier = notifier
        self._by_id: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}

    def create(
        self,
        interaction_id: int,
        interaction_type: int,
        *,
        guild_id: int | None,
        channel_id: int,
        user_id: int,
        source_message_id: int | None = None,
    ) -> InteractionRecord:
        record = InteractionRecord(
            id=interaction_id,
            token=_new_token(interaction_id),
            type=interaction_type,
            guild_id=guild_id,
            channel_id=channel_id,
            user_id=user_id,
            created_at=self._clock.now(),
            payload={},
            source_message_id=source_message_id,
        )
        self._by_id[record.id] = record
        self._by_token[record.token] = record
        return record

    def get(self, interaction_id: int) -> InteractionRecord:
        try:
            return self._by_id[interaction_id]
        except KeyError:
            raise LookupError(f"unknown interaction {interaction_id}") from None

    @property
    def all(self) -> list[InteractionRecord]:
        return list(self._by_id.values())

    def for_callback(
        self, interaction_id: str, token: str, callback_type: int
    ) -> InteractionRecord:
        """The interaction a callback answers, if Discord would still accept the answer."""
        record = self._by_token.get(token)
        if record is None or str(record.id) != interaction_id:
            raise not_found(UNKNOWN_INTERACTION, "interaction")
        if record.acknowledged:
            raise DiscordHTTPError(
                400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged."
            )
        if self._clock.now() - record.created_at > self._config.ack_deadline_seconds:
            raise not_found(UNKNOWN_INTERACTION, "interaction")
        updates_nothing = (
            callback_type in (DEFERRED_UPDATE, UPDATE_MESSAGE) and record.source_message_id is None
        )
        if callback_type not in ALLOWED_CALLBACKS.get(record.type, set()) or updates_nothing:
            raise invalid_form_body(
                [
                    BodyError(
                        ("type",),
                        "INTERACTION_CALLBACK_TYPE_INVALID",
                        f"Callback type {callback_type} is not allowed for interaction "
                        f"type {record.type}.",
                    )
                ]
            )
        return record

    def for_webhook(self, application_id: str, token: str, application: int) -> InteractionRecord:
        """The interaction behind a webhook token, within its 15 minutes and once acknowledged."""
        record = self._by_token.get(token)
        if application_id != str(application) or record is None:
            raise not_found(UNKNOWN_WEBHOOK, "Webhook")
        if self._clock.now() - record.created_at > self._config.token_lifetime_seconds:
            raise DiscordHTTPError(401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")
        if not record.acknowledged:
            raise not_found(UNKNOWN_WEBHOOK, "Webhook")
        return record

    def message_id_of(self, record: InteractionRecord, message_ref: str) -> int:
        """Resolve `@original` or a follow-up id to a message of this interaction."""
        if message_ref == "@original":
            if record.original_message_id is None:
                raise not_found(UNKNOWN_MESSAGE, "Message")
            return record.original_message_id
        if not message_ref.isdigit() or int(message_ref) not in (
            *record.followup_ids,
            record.original_message_id,
        ):
            raise not_found(UNKNOWN_MESSAGE, "Message")
        return int(message_ref)

    def note(
        self,
        record: InteractionRecord,
        kind: ResponseKind,
        payload: Any,
        *,
        callback_type: int | None = None,
        message: Message | None = None,
    ) -> None:
        record.responses.append(
            BotResponse(kind, self._clock.now(), payload, callback_type, message)
        )
        self._notifier.changed()


def _new_token(interaction_id: int) -> str:
    # Real tokens are long opaque strings; the id prefix only makes logs easier to read.
    return f"aW50ZXJhY3Rpb24{interaction_id}.{secrets.token_urlsafe(48)}"
