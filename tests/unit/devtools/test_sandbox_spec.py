"""The sandbox's emulator validates against Discord's spec when it is found, and runs without it
on a fresh clone (where `make run` starts it), unless the spec is required."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from devtools.discord_emulator import DiscordEmulator, SpecNotFoundError
from devtools.discord_emulator.config import SPEC_ENV_VAR
from devtools.sandbox.orchestrator import _emulator_config
from tests.support.discord_spec import MINIATURE_SPEC

ORCHESTRATOR_LOGGER = "devtools.sandbox.orchestrator"


async def status_of_a_numeric_content(emulator: DiscordEmulator) -> int:
    """The status of a message whose content is a number: the spec says a string; Discord's
    limits (lengths) have nothing to say about it."""
    guild = emulator.driver.create_guild()
    channel = emulator.driver.create_channel(guild.id)
    async with httpx.AsyncClient(
        base_url=emulator.api_base_url, headers={"Authorization": f"Bot {emulator.token}"}
    ) as client:
        answer = await client.post(f"/channels/{channel.id}/messages", json={"content": 42})
    emulator.take_spec_violations()
    return answer.status_code


async def test_a_found_spec_is_validated_against(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(SPEC_ENV_VAR, str(MINIATURE_SPEC))
    with caplog.at_level(logging.INFO, logger=ORCHESTRATOR_LOGGER):
        config = _emulator_config(require_spec=False)

    assert config.spec_path == MINIATURE_SPEC and config.require_spec
    assert f"validating request bodies against {MINIATURE_SPEC}" in caplog.text
    async with DiscordEmulator(config) as emulator:
        assert await status_of_a_numeric_content(emulator) == 400


async def test_without_the_spec_the_sandbox_runs_on_discords_limits_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "openapi.json"
    monkeypatch.setenv(SPEC_ENV_VAR, str(missing))
    with caplog.at_level(logging.INFO, logger=ORCHESTRATOR_LOGGER):
        config = _emulator_config(require_spec=False)

    assert config.spec_path is None and not config.require_spec
    [record] = caplog.records
    assert record.levelno == logging.WARNING and str(missing) in record.getMessage()
    async with DiscordEmulator(config) as emulator:
        assert await status_of_a_numeric_content(emulator) == 200


def test_a_required_spec_that_is_missing_stops_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SPEC_ENV_VAR, str(tmp_path / "openapi.json"))
    config = _emulator_config(require_spec=True)

    with pytest.raises(SpecNotFoundError, match=SPEC_ENV_VAR):
        DiscordEmulator(config)
