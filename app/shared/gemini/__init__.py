"""The Gemini adapter: the core's AI ports on the google-genai async client."""

from app.shared.gemini.adapter import GeminiAI
from app.shared.gemini.factory import RetryPolicy, build_gemini, open_gemini

__all__ = ["GeminiAI", "RetryPolicy", "build_gemini", "open_gemini"]
