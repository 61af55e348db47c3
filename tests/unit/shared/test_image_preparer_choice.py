"""Which screenshots the bot sends as uploaded: PNGs, to Gemini models billed by resolution."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pydantic import SecretStr

from app.shared import ai
from app.shared.ai import image_preparer
from app.shared.settings import load_settings

KEY = SecretStr("probe-key")
PNG = "image/png"


def screenshot_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1920, 1080), (14, 18, 26)).save(buffer, format="PNG")
    return buffer.getvalue()


def sent_type(**settings: object) -> str:
    preparer = image_preparer(load_settings(debrief_env="sandbox", **settings))
    return preparer.prepare(screenshot_png(), PNG).mime_type


@pytest.fixture(autouse=True)
def with_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ai, "local_reader_installed", lambda: True)


@pytest.mark.parametrize("model", ["gemini-3.5-flash-lite", "gemini-3.8-flash"])
def test_gemini_3_gets_the_png_as_uploaded(model: str) -> None:
    assert sent_type(gemini_api_key=KEY, gemini_model=model) == PNG


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param({"gemini_api_key": KEY, "gemini_model": "gemini-2.5-flash"}, id="by-tiles"),
        pytest.param({"gemini_api_key": KEY, "gemini_model": "gemini-9-unknown"}, id="unknown"),
        pytest.param({"gemini_api_key": KEY, "ai_reader": "local"}, id="read-locally"),
        pytest.param({}, id="no-gemini"),
    ],
)
def test_anything_else_gets_the_prepared_jpeg(settings: dict[str, object]) -> None:
    assert sent_type(**settings) == "image/jpeg"
