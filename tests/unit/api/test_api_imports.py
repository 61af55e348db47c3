"""The API process never loads what it does not serve: matplotlib (charts are drawn by the
bot's chart worker), discord.py, and google-genai until the first /ask (bench.memory and
docs/performance.md, Memory: about 28 MiB of the API's resident size)."""

from __future__ import annotations

from tests.support.fresh_imports import modules_loaded_after

CREATE_THE_API = """
from pydantic import SecretStr
import app.cli  # the process's entry point: `python -m app.cli api`
import app.api.server
from app.api.app import create_app
from app.shared.settings import load_settings

create_app(load_settings(
    debrief_env="production",
    jwt_secret=SecretStr("probe-" + "x" * 48),
    mongodb_uri=SecretStr("mongodb://127.0.0.1:1"),
    gemini_api_key=SecretStr("probe-key"),
))
"""


def test_creating_the_api_app_imports_neither_matplotlib_nor_discord() -> None:
    loaded = modules_loaded_after(
        CREATE_THE_API, "matplotlib", "numpy", "discord", "app.shared.charts"
    )

    assert loaded == []


def test_the_api_imports_google_genai_only_when_asked_a_question() -> None:
    loaded = modules_loaded_after(
        CREATE_THE_API, "google.genai", "aiohttp", "httpx", "app.shared.gemini"
    )

    # The package's light parts only (image preparation's budget, the table of models and the
    # token counters on /metrics): not the adapter, nor google-genai and its HTTP clients.
    assert set(loaded) == {
        "app.shared.gemini",
        "app.shared.gemini.limits",
        "app.shared.gemini.models",
        "app.shared.gemini.usage_metrics",
    }
