"""Which planner /ask gets: the AI's only when there is a key and /ask is not set to local."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from app.shared.ai import GeminiOnFirstUse, UnconfiguredAI, open_ai
from app.shared.settings import SettingsError, load_settings


async def test_without_a_key_ask_has_no_ai_planner_and_the_rest_refuse_honestly() -> None:
    # Screenshots by Gemini too (without a key, "auto" would read them on this machine).
    settings = load_settings(debrief_env="sandbox", ai_reader="gemini")
    async with open_ai(settings) as dependencies:
        assert dependencies.planner is None
        assert isinstance(dependencies.stats_reader, UnconfiguredAI)


async def test_ask_set_to_the_local_planner_never_asks_gemini() -> None:
    settings = load_settings(
        debrief_env="sandbox",
        gemini_api_key=SecretStr("probe-key"),
        ask_planner="local",
        reader_cross_check=False,  # the reader alone, not checked by the on-device one
    )
    async with open_ai(settings, gemini_on_first_use=True) as dependencies:
        assert dependencies.planner is None
        assert isinstance(dependencies.stats_reader, GeminiOnFirstUse)


async def test_with_a_key_gemini_plans() -> None:
    settings = load_settings(debrief_env="sandbox", gemini_api_key=SecretStr("probe-key"))
    async with open_ai(settings, gemini_on_first_use=True) as dependencies:
        assert isinstance(dependencies.planner, GeminiOnFirstUse)


def test_another_ask_planner_is_a_settings_error() -> None:
    with pytest.raises(SettingsError):
        load_settings(debrief_env="sandbox", ask_planner="openai")
