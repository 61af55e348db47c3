"""Whether the tests validate what they send Discord against Discord's OpenAPI spec.

Discord's spec is not in the repository (`../shared/discord-api-spec/openapi.json`, or
`$DISCORD_API_SPEC`). Where it is found, every emulator the tests start validates request
bodies against it and a body Discord would refuse fails the test. Where it is not, the
emulators check Discord's limits only, and the validator itself is exercised against
`discord_api_miniature.json` (tests/e2e/discord_emulator/test_spec_validation.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devtools.discord_emulator import EmulatorConfig
from devtools.discord_emulator.config import SPEC_ENV_VAR, find_spec, resolve_spec_path

MINIATURE_SPEC = Path(__file__).with_name("discord_api_miniature.json")


def discord_spec() -> Path | None:
    """Discord's own spec, when it is found."""
    return find_spec()


def report_header() -> str:
    """The one line pytest prints at the start of a run."""
    spec = discord_spec()
    if spec is not None:
        return f"Discord API spec: validating against {spec}"
    return (
        f"Discord API spec: not found at {resolve_spec_path(None)} (set {SPEC_ENV_VAR}); "
        "emulator requests are not validated against it, only against Discord's limits"
    )


def emulator_config(**settings: Any) -> EmulatorConfig:
    """An emulator's configuration that validates against Discord's spec when it is found."""
    spec = discord_spec()
    return EmulatorConfig(spec_path=spec, require_spec=spec is not None, **settings)
