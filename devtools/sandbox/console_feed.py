"""The channel as the console shows it, long-polled: it answers as soon as anything changes.

Ephemeral messages are included for everyone; the page shows each one only to the member
whose interaction it answers, as Discord does.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from devtools.discord_emulator import DiscordEmulator, Message

JSON = dict[str, Any]

APPLICATION_COMMAND = 2
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
MAX_WAIT_S = 25.0


class ChannelFeed:
    def __init__(self, emulator: DiscordEmulator, channel_id: int) -> None:
        self._emulator = emulator
        self._channel_id = channel_id
        self._closing = False

    def close(self) -> None:
        """Answer every waiting poll now, so a server shutdown need not wait for them."""
        self._closing = True
        self._emulator.core.notifier.changed()

    def snapshot(self) -> JSON:
        """`messages` (oldest first), `commands_used` by interaction id, and a `version`."""
        messages = self._emulator.driver.channel_messages(self._channel_id, include_ephemeral=True)
        body: JSON = {
            "messages": [self._emulator.driver.message_payload(m) for m in messages],
            "commands_used": self._commands_used(messages),
        }
        encoded = json.dumps(body, sort_keys=True).encode()
        return {"version": hashlib.sha256(encoded).hexdigest()[:16], **body}

    async def changed_since(self, version: str, wait_s: float) -> JSON:
        """The snapshot once its version differs from `version`, or as it is after `wait_s`."""

        def probe() -> JSON | None:
            current = self.snapshot()
            return current if self._closing or current["version"] != version else None

        try:
            return await self._emulator.core.notifier.wait_for(
                probe, what="a change in the channel", timeout=min(wait_s, MAX_WAIT_S)
            )
        except TimeoutError:
            return self.snapshot()

    def _commands_used(self, messages: list[Message]) -> dict[str, str]:
        """Discord shows "<user> used /command" above a command's reply; the message itself
        only names the interaction, so the command comes from the interaction we sent."""
        used: dict[str, str] = {}
        for message in messages:
            interaction_id = (message.interaction_metadata or {}).get("id")
            if interaction_id is None:
                continue
            try:
                record = self._emulator.core.interactions.get(int(interaction_id))
            except LookupError:
                continue
            if record.type == APPLICATION_COMMAND:
                used[str(interaction_id)] = command_label(record.payload.get("data") or {})
        return used


def command_label(data: JSON) -> str:
    """ "/match fix" for an invocation of the `fix` subcommand of /match."""
    words = [str(data.get("name", "?"))]
    options = data.get("options") or []
    while options and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        words.append(str(options[0].get("name")))
        options = options[0].get("options") or []
    return "/" + " ".join(words)
