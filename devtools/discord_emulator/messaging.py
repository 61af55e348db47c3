"""Creating, editing and deleting messages, with their files, and telling the gateway."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .bodies import RequestBody, UploadedFile
from .errors import BodyError, invalid_form_body
from .gateway import GatewayHub
from .gateway_session import GUILD_MESSAGES
from .messages import EPHEMERAL, Attachment, Message
from .models import JSON, User
from .state import EmulatorState
from .waiting import ChangeNotifier

SUPPRESS_EMBEDS = 1 << 2
LOADING = 1 << 7  # a deferred response still "thinking"
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_COMPONENTS_V2 = 1 << 15
SETTABLE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2


class MessageService:
    def __init__(
        self,
        state: EmulatorState,
        gateway: GatewayHub,
        notifier: ChangeNotifier,
        base_url: Callable[[], str],
    ) -> None:
        self._state = state
        self._gateway = gateway
        self._notifier = notifier
        self._base_url = base_url

    def payload(self, message: Message) -> JSON:
        return message.to_payload(self._base_url())

    def create(
        self,
        channel_id: int,
        author: User,
        body: RequestBody,
        *,
        allow_ephemeral: bool = False,
        **extra: Any,
    ) -> Message:
        """Store a new message from a create-message body; `extra` sets Message fields."""
        channel = self._state.message_target(channel_id)
        payload = body.payload if isinstance(body.payload, dict) else {}
        settable = SETTABLE_FLAGS | (EPHEMERAL if allow_ephemeral else 0)
        forced_flags = extra.pop("flags", 0)
        message = Message(
            id=self._state.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=author,
            created_at=self._state.clock.now(),
            content=payload.get("content") or "",
            embeds=list(payload.get("embeds") or []),
            components=list(payload.get("components") or []),
            flags=((payload.get("flags") or 0) & settable) | forced_flags,
            **extra,
        )
        message.attachments = self._attachments(message, payload, body.files)
        self._state.add_message(message)
        self._announce("MESSAGE_CREATE", message)
        return message

    def edit(self, message: Message, body: RequestBody) -> Message:
        """Apply an edit body: only the fields present change; null clears a field."""
        payload = body.payload if isinstance(body.payload, dict) else {}
        if "content" in payload:
            message.content = payload["content"] or ""
        if "embeds" in payload:
            message.embeds = list(payload["embeds"] or [])
        if "components" in payload:
            message.components = list(payload["components"] or [])
        if "attachments" in payload or body.files:
            message.attachments = self._attachments(message, payload, body.files)
        if payload.get("flags") is not None:
            keep = message.flags & ~SUPPRESS_EMBEDS
            message.flags = keep | (payload["flags"] & SUPPRESS_EMBEDS)
        message.flags &= ~LOADING
        message.edited_at = self._state.clock.now()
        self._announce("MESSAGE_UPDATE", message)
        return message

    def delete(self, message: Message) -> None:
        message.deleted = True
        if not message.ephemeral and message.guild_id is not None:
            self._gateway.dispatch(
                "MESSAGE_DELETE",
                {
                    "id": str(message.id),
                    "channel_id": str(message.channel_id),
                    "guild_id": str(message.guild_id),
                },
                guild_id=message.guild_id,
                intent=GUILD_MESSAGES,
            )
        self._notifier.changed()

    def _announce(self, event: str, message: Message) -> None:
        if not message.ephemeral and message.guild_id is not None:
            self._gateway.dispatch(
                event, self.payload(message), guild_id=message.guild_id, intent=GUILD_MESSAGES
            )
        self._notifier.changed()

    def _attachments(
        self, message: Message, payload: JSON, files: list[UploadedFile]
    ) -> list[Attachment]:
        """The message's attachments after a create or edit.

        `attachments` entries name kept attachments by id and new uploads by their
        `files[n]` index; without the list, existing attachments stay and uploads are added.
        """
        uploads = {upload.index: upload for upload in files}
        entries = payload.get("attachments")
        if entries is None:
            return message.attachments + [self._store(message, u, {}) for u in files]
        existing = {attachment.id: attachment for attachment in message.attachments}
        result: list[Attachment] = []
        for position, entry in enumerate(entries):
            ref = int(entry["id"])
            if ref in uploads:
                result.append(self._store(message, uploads.pop(ref), entry))
            elif ref in existing:
                result.append(existing[ref])
            else:
                raise invalid_form_body(
                    [
                        BodyError(
                            ("attachments", position, "id"),
                            "ATTACHMENT_NOT_FOUND",
                            "Unknown attachment",
                        )
                    ]
                )
        return result + [self._store(message, u, {}) for u in uploads.values()]

    def _store(self, message: Message, upload: UploadedFile, entry: JSON) -> Attachment:
        return self._state.store_attachment(
            entry.get("filename") or upload.filename,
            upload.content_type,
            upload.data,
            folder=f"attachments/{message.channel_id}",
            description=entry.get("description"),
            ephemeral=message.ephemeral,
        )
