"""The Gemini adapter: the core's AI ports on the google-genai async client.

Its names load on first use (PEP 562), so importing a light submodule, as image preparation
imports `limits`, does not import google-genai: that is for the process that builds Gemini.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.shared.gemini.adapter import GeminiAI
    from app.shared.gemini.factory import RetryPolicy, build_gemini, open_gemini

__all__ = ["GeminiAI", "RetryPolicy", "build_gemini", "open_gemini"]

_HOMES = {
    "GeminiAI": "app.shared.gemini.adapter",
    "RetryPolicy": "app.shared.gemini.factory",
    "build_gemini": "app.shared.gemini.factory",
    "open_gemini": "app.shared.gemini.factory",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
