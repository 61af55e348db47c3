"""Messages and attachments, stored with their content so tests can read what the bot sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import JSON, User, iso_time

EPHEMERAL = 1 << 6
# Message types Discord uses for what a bot sends.
DEFAULT_MESSAGE = 0
CHAT_INPUT_COMMAND = 20


@dataclass
class Attachment:
    """A file a test registered or the bot uploaded, served back from the emulator's CDN."""

    id: int
    filename: str
    content_type: str
    data: bytes
    url_path: str
    description: str | None = None
    ephemeral: bool = False
    # Test hooks for hostile interactions Discord itself never sends: a URL elsewhere, and a
    # size that lies about the body.
    url_override: str | None = None
    declared_size: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    def to_payload(self, base_url: str) -> JSON:
        url = self.url_override or base_url + self.url_path
        payload: JSON = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size if self.declared_size is None else self.declared_size,
            "url": url,
            "proxy_url": url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            payload["description"] = self.description
        if self.ephemeral:
            payload["ephemeral"] = True
        return payload


@dataclass
class Message:
    id: int
    channel_id: int
    guild_id: int | None
    author: User
    created_at: float
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = DEFAULT_MESSAGE
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: JSON | None = None
    edited_at: float | None = None
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    def custom_ids(self) -> list[str]:
        """Every component custom_id on the message, however deeply nested."""
        found: list[str] = []
        _collect_custom_ids(self.components, found)
        return found

    def find_component(self, custom_id: str) -> JSON | None:
        return _find_component(self.components, custom_id)

    def to_payload(self, base_url: str) -> JSON:
        payload: JSON = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.to_payload(),
            "content": self.content,
            "timestamp": iso_time(self.created_at),
            "edited_timestamp": None if self.edited_at is None else iso_time(self.edited_at),
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "mention_channels": [],
            "attachments": [a.to_payload(base_url) for a in self.attachments],
            "embeds": list(self.embeds),
            "components": list(self.components),
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            payload["guild_id"] = str(self.guild_id)
        if self.webhook_id is not None:
            payload["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            payload["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            payload["interaction_metadata"] = self.interaction_metadata
        return payload


def _collect_custom_ids(components: list[Any], found: list[str]) -> None:
    for component in components:
        if not isinstance(component, dict):
            continue
        if isinstance(component.get("custom_id"), str):
            found.append(component["custom_id"])
        _collect_custom_ids(_children(component), found)


def _find_component(components: list[Any], custom_id: str) -> JSON | None:
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == custom_id:
            return component
        nested = _find_component(_children(component), custom_id)
        if nested is not None:
            return nested
    return None


def _children(component: JSON) -> list[Any]:
    """Nested components: rows and containers hold lists, labels and sections hold one."""
    children = list(component.get("components") or [])
    for single_key in ("component", "accessory"):
        if isinstance(component.get(single_key), dict):
            children.append(component[single_key])
    return children
