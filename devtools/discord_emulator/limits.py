"""Discord's message limits that the OpenAPI spec does not (or not exactly) express.

The spec allows 4000 characters of content (the Nitro limit) and has no notion of the 6000
characters shared by all embeds of a message; Discord holds bots to both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import BodyError

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
FIELDS_MAX = 25
FILES_MAX = 10
_TEXT_LIMITS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("title",), 256),
    (("description",), 4096),
    (("footer", "text"), 2048),
    (("author", "name"), 256),
)
_FIELD_LIMITS = (("name", 256), ("value", 1024))

Location = tuple[str | int, ...]


def check_message(payload: Any, at: Location = ()) -> list[BodyError]:
    """Problems with a message body (create or edit) located under `at` in the request."""
    if not isinstance(payload, dict):
        return []
    errors: list[BodyError] = []
    content = payload.get("content")
    if isinstance(content, str) and len(content) > CONTENT_MAX:
        errors.append(_too_long((*at, "content"), CONTENT_MAX))
    embeds = payload.get("embeds")
    if isinstance(embeds, list):
        errors.extend(_check_embeds(embeds, (*at, "embeds")))
    return errors


def check_file_count(count: int) -> list[BodyError]:
    if count > FILES_MAX:
        return [
            BodyError(
                ("files",), "BASE_TYPE_MAX_LENGTH", f"Must be {FILES_MAX} or fewer in length."
            )
        ]
    return []


def _check_embeds(embeds: Sequence[Any], at: Location) -> list[BodyError]:
    errors: list[BodyError] = []
    if len(embeds) > EMBEDS_MAX:
        errors.append(_too_long(at, EMBEDS_MAX))
    total = 0
    for index, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        errors.extend(_check_embed(embed, (*at, index)))
        total += _embed_characters(embed)
    if total > EMBED_TOTAL_MAX:
        errors.append(
            BodyError(
                at,
                "MAX_EMBED_SIZE_EXCEEDED",
                f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
            )
        )
    return errors


def _check_embed(embed: dict[str, Any], at: Location) -> list[BodyError]:
    errors = [
        _too_long((*at, *keys), limit)
        for keys, limit in _TEXT_LIMITS
        if len(_text(embed, keys)) > limit
    ]
    fields = embed.get("fields")
    if not isinstance(fields, list):
        return errors
    if len(fields) > FIELDS_MAX:
        errors.append(_too_long((*at, "fields"), FIELDS_MAX))
    for index, embed_field in enumerate(fields):
        for key, limit in _FIELD_LIMITS:
            if len(_text(embed_field, (key,))) > limit:
                errors.append(_too_long((*at, "fields", index, key), limit))
    return errors


def _embed_characters(embed: dict[str, Any]) -> int:
    """What Discord counts toward 6000: titles, descriptions, field texts, footer, author."""
    count = sum(len(_text(embed, keys)) for keys, _ in _TEXT_LIMITS)
    for embed_field in embed.get("fields") or []:
        count += sum(len(_text(embed_field, (key,))) for key, _ in _FIELD_LIMITS)
    return count


def _text(node: Any, keys: tuple[str, ...]) -> str:
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else ""


def _too_long(location: Location, limit: int) -> BodyError:
    return BodyError(location, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
