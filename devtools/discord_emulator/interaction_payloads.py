"""INTERACTION_CREATE payloads with every field a real guild interaction carries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .interactions import InteractionRecord
from .models import JSON
from .state import EmulatorState

GUILD_CONTEXT = 0
BOT_DM_CONTEXT = 1
GUILD_INSTALL = "0"
TEXT_INPUT, STRING_SELECT, ACTION_ROW, LABEL = 4, 3, 1, 18


def interaction_payload(
    state: EmulatorState,
    record: InteractionRecord,
    data: JSON,
    *,
    locale: str,
    attachment_size_limit: int,
) -> JSON:
    if record.guild_id is None:
        raise ValueError("a DM interaction's payload is dm_interaction_payload's")
    guild = state.guild(record.guild_id)
    channel = guild.channels[record.channel_id].to_payload()
    channel["permissions"] = str(guild.permissions_of(record.user_id))
    return {
        "id": str(record.id),
        "application_id": str(state.application.id),
        "type": record.type,
        "token": record.token,
        "version": 1,
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
        "channel_id": str(record.channel_id),
        "channel": channel,
        "member": guild.member_payload(record.user_id),
        "app_permissions": str(guild.permissions_of(state.bot_user.id)),
        "locale": locale,
        "guild_locale": guild.preferred_locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {GUILD_INSTALL: str(guild.id)},
        "context": GUILD_CONTEXT,
        "attachment_size_limit": attachment_size_limit,
        "data": data,
    }


def dm_interaction_payload(
    state: EmulatorState,
    record: InteractionRecord,
    data: JSON,
    *,
    locale: str,
    attachment_size_limit: int,
) -> JSON:
    """A component used in the bot's DM with a user: no server, the user instead of a member."""
    return {
        "id": str(record.id),
        "application_id": str(state.application.id),
        "type": record.type,
        "token": record.token,
        "version": 1,
        "channel_id": str(record.channel_id),
        "channel": state.dm_channels[record.channel_id].to_payload(),
        "user": state.user(record.user_id).to_payload(),
        "app_permissions": "0",
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {GUILD_INSTALL: "0"},
        "context": BOT_DM_CONTEXT,
        "attachment_size_limit": attachment_size_limit,
        "data": data,
    }


def component_data(custom_id: str, component_type: int, values: Sequence[str] | None) -> JSON:
    data: JSON = {"custom_id": custom_id, "component_type": component_type}
    if values is not None:
        data["values"] = list(values)
    return data


def modal_submit_data(modal: JSON, values: Mapping[str, str | Sequence[str]]) -> JSON:
    """Mirror the modal's layout (action rows or labels) with the submitted values.

    Raises ValueError for an unknown custom_id or a required text input left empty.
    """
    unknown = set(values) - set(_input_ids(modal.get("components") or []))
    if unknown:
        raise ValueError(f"the modal has no input(s) {sorted(unknown)}")
    components = [_submitted(component, values) for component in modal.get("components") or []]
    return {"custom_id": modal["custom_id"], "components": components}


def _submitted(component: JSON, values: Mapping[str, str | Sequence[str]]) -> JSON:
    kind = component.get("type")
    if kind == ACTION_ROW:
        inner = [_submitted(child, values) for child in component.get("components") or []]
        return {"type": ACTION_ROW, "components": inner}
    if kind == LABEL:
        return {"type": LABEL, "component": _submitted(component["component"], values)}
    custom_id = component.get("custom_id")
    if kind == TEXT_INPUT:
        text = values.get(custom_id or "", component.get("value") or "")
        if not isinstance(text, str):
            raise ValueError(f"text input {custom_id!r} takes a string")
        if component.get("required", True) and not text:
            raise ValueError(f"text input {custom_id!r} is required")
        return {"type": TEXT_INPUT, "custom_id": custom_id, "value": text}
    if kind == STRING_SELECT:
        chosen = values.get(custom_id or "", [])
        return {
            "type": STRING_SELECT,
            "custom_id": custom_id,
            "values": [chosen] if isinstance(chosen, str) else list(chosen),
        }
    return {"type": kind, **({"id": component["id"]} if "id" in component else {})}


def _input_ids(components: Sequence[JSON]) -> list[str]:
    found: list[str] = []
    for component in components:
        if component.get("custom_id"):
            found.append(component["custom_id"])
        found += _input_ids(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            found += _input_ids([component["component"]])
    return found
