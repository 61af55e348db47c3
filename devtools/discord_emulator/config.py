"""Settings of one emulator instance, and where Discord's OpenAPI spec is found."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SPEC_ENV_VAR = "DISCORD_API_SPEC"
# This file is <repo root>/devtools/discord_emulator/config.py.
REPO_ROOT = Path(__file__).resolve().parents[2]
# <repo root>/../shared/discord-api-spec/openapi.json, the spec is shared, not vendored.
DEFAULT_SPEC_PATH = REPO_ROOT.parent / "shared" / "discord-api-spec" / "openapi.json"
MIB = 1024 * 1024


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything an emulator instance can be told at construction.

    `spec_path=None` means: the `DISCORD_API_SPEC` environment variable, else the shared copy
    next to the repository. Without the file the emulator refuses to start unless
    `require_spec=False`, in which case bodies are only checked against Discord's limits.
    """

    token: str = "emulator-bot-token"  # noqa: S105 - a fixed test credential, not a secret
    host: str = "127.0.0.1"
    port: int = 0
    spec_path: Path | None = None
    require_spec: bool = True
    application_name: str = "Debrief (emulated)"
    bot_username: str = "Debrief"
    client_secret: str = "emulator-client-secret"  # noqa: S105 - as above
    # Empty: any loopback redirect URI is accepted, which suits ephemeral test ports.
    redirect_uris: tuple[str, ...] = ()
    global_rate_limit: int = 50
    route_rate_limit: int = 50
    attachment_size_limit: int = 10 * MIB
    heartbeat_interval_ms: int = 41_250
    # Discord's ACK crosses a real network. discord.py notes when it sent a heartbeat only
    # after the send completes, in its keep-alive thread: an ACK that overtakes that note is
    # measured against the previous heartbeat and logged as "Can't keep up ... 41.3 s
    # behind". A round trip this long, like a real one, keeps the ACK behind the note.
    heartbeat_ack_delay_ms: int = 100
    ack_deadline_seconds: float = 3.0
    token_lifetime_seconds: float = 15 * 60
    oauth_token_lifetime_seconds: int = 7 * 24 * 3600


def resolve_spec_path(explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    from_env = os.environ.get(SPEC_ENV_VAR)
    return Path(from_env) if from_env else DEFAULT_SPEC_PATH


def find_spec() -> Path | None:
    """Discord's spec where `resolve_spec_path(None)` looks, or None when no file is there.

    Callers that validate only when they can (the sandbox, the standalone emulator, the tests)
    pass the result as `spec_path`, with `require_spec=False` when it is None.
    """
    path = resolve_spec_path(None)
    return path if path.is_file() else None
