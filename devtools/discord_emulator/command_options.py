"""A slash command's `data.options` and `data.resolved`, built from its registered definition.

Like Discord's client, this refuses what a user could not type: an unregistered option,
a missing required one, a value outside the declared choices or of the wrong type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .models import JSON, Guild, Member
from .state import EmulatorState

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)


class InvocationError(ValueError):
    """The requested invocation is not something a Discord user could send."""


def build_command_data(
    state: EmulatorState,
    guild: Guild,
    command: JSON,
    *,
    base_url: str,
    subcommand: str | None,
    values: Mapping[str, Any],
) -> JSON:
    builder = _OptionBuilder(state, guild, base_url)
    path = subcommand.split() if subcommand else []
    options = builder.options(command.get("options") or [], path, dict(values))
    data: JSON = {
        "id": command["id"],
        "name": command["name"],
        "type": command["type"],
        "options": options,
    }
    if builder.resolved:
        data["resolved"] = builder.resolved
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    return data


class _OptionBuilder:
    def __init__(self, state: EmulatorState, guild: Guild, base_url: str) -> None:
        self._state = state
        self._guild = guild
        self._base_url = base_url
        self.resolved: dict[str, dict[str, JSON]] = {}

    def options(
        self, definitions: list[JSON], path: list[str], values: dict[str, Any]
    ) -> list[JSON]:
        nested = [d for d in definitions if d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if path:
            chosen = next((d for d in nested if d["name"] == path[0]), None)
            if chosen is None:
                raise InvocationError(f"no subcommand or group named {path[0]!r}")
            inner = self.options(chosen.get("options") or [], path[1:], values)
            return [{"type": chosen["type"], "name": chosen["name"], "options": inner}]
        if nested:
            raise InvocationError(f"choose one of the subcommands {[d['name'] for d in nested]}")
        unknown = set(values) - {d["name"] for d in definitions}
        if unknown:
            raise InvocationError(f"the command has no option(s) {sorted(unknown)}")
        built = []
        for definition in definitions:
            name = definition["name"]
            if name in values:
                value = self._wire_value(definition, values[name])
                built.append({"type": definition["type"], "name": name, "value": value})
            elif definition.get("required"):
                raise InvocationError(f"option {name!r} is required")
        return built

    def _wire_value(self, definition: JSON, value: Any) -> Any:
        option_type = definition["type"]
        if option_type in (STRING, INTEGER, NUMBER, BOOLEAN):
            return _scalar(definition, value)
        target = _id_of(value)
        if option_type == ATTACHMENT:
            self._resolve_attachment(definition["name"], target)
        elif option_type == USER or (option_type == MENTIONABLE and target in self._state.users):
            self._resolve_user(target)
        elif option_type in (ROLE, MENTIONABLE):
            self._resolve_in_guild("roles", self._guild.roles, definition["name"], target)
        elif option_type == CHANNEL:
            self._resolve_in_guild("channels", self._guild.channels, definition["name"], target)
        return str(target)

    def _resolve_attachment(self, name: str, attachment_id: int) -> None:
        attachment = self._state.attachments.get(attachment_id)
        if attachment is None:
            raise InvocationError(f"option {name!r}: register the attachment first")
        payload = attachment.to_payload(self._base_url)
        self.resolved.setdefault("attachments", {})[str(attachment_id)] = payload

    def _resolve_user(self, user_id: int) -> None:
        if user_id not in self._state.users:
            raise InvocationError(f"no user {user_id}")
        key = str(user_id)
        self.resolved.setdefault("users", {})[key] = self._state.users[user_id].to_payload()
        if user_id in self._guild.members:
            member = self._guild.member_payload(user_id)
            member.pop("user")
            self.resolved.setdefault("members", {})[key] = member

    def _resolve_in_guild(
        self, kind: str, table: Mapping[int, Any], name: str, target: int
    ) -> None:
        if target not in table:
            raise InvocationError(f"option {name!r}: no {kind[:-1]} {target} in the guild")
        payload = table[target].to_payload()
        if kind == "channels":
            payload["permissions"] = str(self._guild.permissions_of(self._state.bot_user.id))
        self.resolved.setdefault(kind, {})[str(target)] = payload


def _scalar(definition: JSON, value: Any) -> Any:
    expected: dict[int, tuple[type, ...]] = {
        STRING: (str,),
        INTEGER: (int,),
        NUMBER: (int, float),
        BOOLEAN: (bool,),
    }
    option_type, name = definition["type"], definition["name"]
    wrong_bool = isinstance(value, bool) and option_type != BOOLEAN
    if wrong_bool or not isinstance(value, expected[option_type]):
        raise InvocationError(f"option {name!r} takes a {expected[option_type][0].__name__}")
    choices = definition.get("choices")
    if choices and value not in [choice["value"] for choice in choices]:
        raise InvocationError(f"option {name!r} must be one of its choices")
    return value


def _id_of(value: Any) -> int:
    """Accept a model object, a payload dict, or an id."""
    if isinstance(value, Member):
        return value.user.id
    raw = value.get("id") if isinstance(value, dict) else getattr(value, "id", value)
    try:
        return int(str(raw))
    except (TypeError, ValueError):
        raise InvocationError(f"{value!r} is not an id or an object with one") from None
