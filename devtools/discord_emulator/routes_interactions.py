"""Interaction callbacks and the interaction webhook (follow-ups and @original)."""

from __future__ import annotations

from aiohttp import web

from .bodies import RequestBody
from .core import EmulatorCore
from .errors import UNKNOWN_MESSAGE, not_found
from .guards import body_of, check_message_body
from .interactions import (
    APPLICATION_COMMAND,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionRecord,
)
from .messages import CHAT_INPUT_COMMAND, DEFAULT_MESSAGE, EPHEMERAL, Message
from .messaging import LOADING
from .models import JSON
from .responses import json_response, no_content
from .routing import Auth, RouteTable
from .state import UnknownObjectError

TRUE_VALUES = frozenset({"1", "true", "True"})


class InteractionRoutes:
    def __init__(self, core: EmulatorCore) -> None:
        self._core = core

    def register(self, table: RouteTable) -> None:
        table.api(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            self.callback,
            Auth.NONE,
        )
        table.api("POST", "/webhooks/{webhook_id}/{webhook_token}", self.follow_up, Auth.NONE)
        message = "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
        table.api("GET", message, self.get_message, Auth.NONE)
        table.api("PATCH", message, self.edit_message, Auth.NONE)
        table.api("DELETE", message, self.delete_message, Auth.NONE)

    async def callback(self, request: web.Request) -> web.Response:
        body = body_of(request)
        payload = body.payload if isinstance(body.payload, dict) else {}
        raw_type = payload.get("type")
        callback_type = raw_type if isinstance(raw_type, int) else -1
        record = self._core.interactions.for_callback(
            request.match_info["interaction_id"],
            request.match_info["interaction_token"],
            callback_type,
        )
        if callback_type in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            check_message_body(self._core, request, body, under="data")
        message = self._apply(record, callback_type, body)
        self._core.interactions.note(
            record, "callback", payload, callback_type=callback_type, message=message
        )
        if request.query.get("with_response") in TRUE_VALUES:
            return json_response(self._callback_answer(record, message))
        return no_content()

    async def follow_up(self, request: web.Request) -> web.Response:
        record = self._webhook_interaction(request)
        body = body_of(request)
        check_message_body(self._core, request, body)
        original = self._loading_original(record)
        if original is not None:
            # After a "thinking" defer, Discord turns the first follow-up into that message.
            message = self._core.messages.edit(original, body)
        else:
            message = self._core.messages.create(
                record.channel_id,
                self._core.state.bot_user,
                body,
                allow_ephemeral=True,
                **self._interaction_message_fields(record),
            )
            record.followup_ids.append(message.id)
        self._core.interactions.note(record, "followup", body.payload, message=message)
        if request.query.get("wait") in TRUE_VALUES:
            return json_response(self._core.messages.payload(message))
        return no_content()

    async def get_message(self, request: web.Request) -> web.Response:
        message = self._webhook_message(request)
        return json_response(self._core.messages.payload(message))

    async def edit_message(self, request: web.Request) -> web.Response:
        record = self._webhook_interaction(request)
        message = self._webhook_message(request, record)
        body = body_of(request)
        check_message_body(self._core, request, body)
        self._core.messages.edit(message, body)
        self._core.interactions.note(record, "edit", body.payload, message=message)
        return json_response(self._core.messages.payload(message))

    async def delete_message(self, request: web.Request) -> web.Response:
        record = self._webhook_interaction(request)
        message = self._webhook_message(request, record)
        self._core.messages.delete(message)
        self._core.interactions.note(record, "delete", None, message=message)
        return no_content()

    def _apply(
        self, record: InteractionRecord, callback_type: int, body: RequestBody
    ) -> Message | None:
        """Carry out an accepted callback; returns the message it created or updated."""
        record.callback_type = callback_type
        data = body.payload.get("data") if isinstance(body.payload, dict) else None
        data = data if isinstance(data, dict) else {}
        message: Message | None = None
        if callback_type == CHANNEL_MESSAGE:
            message = self._original(record, RequestBody(data, body.media_type, body.files))
        elif callback_type == DEFERRED_CHANNEL_MESSAGE:
            thinking = RequestBody({"flags": (data.get("flags") or 0) & EPHEMERAL}, "")
            message = self._original(record, thinking, flags=LOADING)
        elif callback_type in (DEFERRED_UPDATE, UPDATE_MESSAGE) and record.source_message_id:
            message = self._core.state.message(record.source_message_id)
            record.original_message_id = message.id
            if callback_type == UPDATE_MESSAGE:
                self._core.messages.edit(message, RequestBody(data, body.media_type, body.files))
            else:
                message = None
        elif callback_type == MODAL:
            record.modal = data
        return message

    def _original(self, record: InteractionRecord, body: RequestBody, flags: int = 0) -> Message:
        message_type = CHAT_INPUT_COMMAND if record.type == APPLICATION_COMMAND else DEFAULT_MESSAGE
        message = self._core.messages.create(
            record.channel_id,
            self._core.state.bot_user,
            body,
            allow_ephemeral=True,
            flags=flags,
            type=message_type,
            **self._interaction_message_fields(record),
        )
        record.original_message_id = message.id
        return message

    def _interaction_message_fields(self, record: InteractionRecord) -> JSON:
        app_id = self._core.state.application.id
        metadata: JSON = {
            "id": str(record.id),
            "type": record.type,
            "user": self._core.state.user(record.user_id).to_payload(),
            # In a DM, no server installed the app for it: Discord sends "0" there.
            "authorizing_integration_owners": {"0": str(record.guild_id or 0)},
        }
        if record.source_message_id is not None:
            metadata["interacted_message_id"] = str(record.source_message_id)
        return {"webhook_id": app_id, "application_id": app_id, "interaction_metadata": metadata}

    def _callback_answer(self, record: InteractionRecord, message: Message | None) -> JSON:
        interaction: JSON = {
            "id": str(record.id),
            "type": record.type,
            "response_message_loading": record.callback_type == DEFERRED_CHANNEL_MESSAGE,
            "response_message_ephemeral": bool(message and message.ephemeral),
        }
        resource: JSON = {"type": record.callback_type}
        if message is not None:
            interaction["response_message_id"] = str(message.id)
            resource["message"] = self._core.messages.payload(message)
        return {"interaction": interaction, "resource": resource}

    def _loading_original(self, record: InteractionRecord) -> Message | None:
        if record.original_message_id is None:
            return None
        message = self._core.state.messages[record.original_message_id]
        return message if message.flags & LOADING and not message.deleted else None

    def _webhook_interaction(self, request: web.Request) -> InteractionRecord:
        return self._core.interactions.for_webhook(
            request.match_info["webhook_id"],
            request.match_info["webhook_token"],
            self._core.state.application.id,
        )

    def _webhook_message(
        self, request: web.Request, record: InteractionRecord | None = None
    ) -> Message:
        record = record or self._webhook_interaction(request)
        message_id = self._core.interactions.message_id_of(record, request.match_info["message_id"])
        try:
            return self._core.state.message(message_id)
        except UnknownObjectError:
            raise not_found(UNKNOWN_MESSAGE, "Message") from None
