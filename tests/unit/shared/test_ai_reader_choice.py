"""AI_READER: who reads screenshots, Gemini or the on-device reader, and what "auto" picks."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

import app.shared.settings
from app.core.cross_check import CrossCheckedReader
from app.shared import ai
from app.shared.ai import UnconfiguredAI, open_ai, reads_locally
from app.shared.local_reader import LocalStatsReader
from app.shared.settings import Settings, SettingsError, load_settings

KEY = SecretStr("probe-key")


def settings(reader: str, *, key: SecretStr | None = None) -> Settings:
    return load_settings(debrief_env="sandbox", ai_reader=reader, gemini_api_key=key)


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ai, "local_reader_installed", lambda: False)


@pytest.fixture
def with_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ai, "local_reader_installed", lambda: True)


def test_the_default_is_auto() -> None:
    assert load_settings(debrief_env="sandbox").ai_reader == "auto"


@pytest.mark.usefixtures("with_extra")
def test_auto_reads_with_gemini_when_a_key_is_set_and_locally_otherwise() -> None:
    assert not reads_locally(settings("auto", key=KEY))
    assert reads_locally(settings("auto"))


@pytest.mark.usefixtures("with_extra")
def test_gemini_and_local_are_taken_as_said_whatever_the_key() -> None:
    assert not reads_locally(settings("gemini"))
    assert reads_locally(settings("local", key=KEY))


@pytest.mark.usefixtures("without_extra")
def test_auto_without_key_or_extra_leaves_reading_to_the_honest_refusal() -> None:
    assert not reads_locally(settings("auto"))


def test_local_without_the_extra_is_refused_at_start_with_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app.shared.settings, "local_ai_installed", lambda: False)

    with pytest.raises(
        SettingsError, match=r"AI_READER: local needs .*pip install 'debrief\[local-ai\]'"
    ):
        settings("local")


def test_a_reader_that_is_not_one_of_the_three_is_refused() -> None:
    with pytest.raises(SettingsError, match="AI_READER"):
        settings("tesseract")


@pytest.mark.usefixtures("with_extra")
async def test_the_local_reader_reads_while_the_rest_of_the_ai_stays_as_configured() -> None:
    async with open_ai(settings("auto")) as dependencies:
        reader = dependencies.stats_reader
        assert isinstance(reader, LocalStatsReader)
        assert isinstance(dependencies.debrief_writer, UnconfiguredAI)
        assert not reader.started, "the workers start with the first screenshot, not before"


def cross_check_settings(*, enabled: bool = True) -> Settings:
    return load_settings(
        debrief_env="sandbox",
        ai_reader="gemini",
        gemini_api_key=KEY,
        gemini_base_url="http://127.0.0.1:9",  # never called: nothing is read here
        reader_cross_check=enabled,
    )


@pytest.mark.usefixtures("with_extra")
async def test_while_gemini_reads_the_local_reader_checks_every_reading() -> None:
    async with open_ai(cross_check_settings()) as dependencies:
        reader = dependencies.stats_reader
        assert isinstance(reader, CrossCheckedReader)
        assert isinstance(reader.check, LocalStatsReader)
        assert not isinstance(reader.primary, LocalStatsReader)
        assert not reader.check.started, "no worker until a screenshot is read"


@pytest.mark.usefixtures("with_extra")
async def test_the_cross_check_can_be_turned_off() -> None:
    async with open_ai(cross_check_settings(enabled=False)) as dependencies:
        assert not isinstance(dependencies.stats_reader, CrossCheckedReader)


@pytest.mark.usefixtures("without_extra")
async def test_without_the_extra_gemini_reads_unchecked() -> None:
    async with open_ai(cross_check_settings()) as dependencies:
        assert not isinstance(dependencies.stats_reader, CrossCheckedReader)


@pytest.mark.usefixtures("with_extra")
async def test_the_local_reader_never_checks_itself() -> None:
    async with open_ai(settings("local", key=KEY)) as dependencies:
        assert isinstance(dependencies.stats_reader, LocalStatsReader)
