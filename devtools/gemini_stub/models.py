"""The models the stub serves and how each one thinks and counts image tokens.

Kept apart from the app's own table on purpose: the stub holds the app to Gemini's contract,
so it must not learn that contract from the code under test. Sources, 2026-12-06
(docs/gemini-models.md): Google's deprecations page, the Gemini 3 developer guide, the Gemini
3.5 Flash-Lite and 3.8 Flash model pages.
"""

from __future__ import annotations

from dataclasses import dataclass

THINKING_LEVELS = ("MINIMAL", "LOW", "MEDIUM", "HIGH", "XHIGH")
MEDIA_RESOLUTIONS = (
    "MEDIA_RESOLUTION_UNSPECIFIED",
    "MEDIA_RESOLUTION_LOW",
    "MEDIA_RESOLUTION_MEDIUM",
    "MEDIA_RESOLUTION_HIGH",
)

# Gemini 3 bills an image by the media resolution, not by its size (developer guide: low
# 280, medium 560, high 1,120). Unset, Google picks "optimal defaults based on the media
# type" without a number; the stub bills the high figure it recommends for images.
GEMINI_3_IMAGE_TOKENS = {
    "MEDIA_RESOLUTION_LOW": 280,
    "MEDIA_RESOLUTION_MEDIUM": 560,
    "MEDIA_RESOLUTION_HIGH": 1120,
}
GEMINI_3_UNSET_RESOLUTION = "MEDIA_RESOLUTION_HIGH"

# Google publishes no thinking-token figures; these are the stub's stand-ins, chosen so that
# more thinking costs visibly more and "off" costs nothing. Only relative changes mean
# anything; real numbers are on the API's /metrics (gemini_thoughts_tokens_total).
THOUGHTS_PER_LEVEL = {"MINIMAL": 0, "LOW": 256, "MEDIUM": 1024, "HIGH": 4096, "XHIGH": 8192}
# What Gemini 2.5 thinks with a dynamic budget (-1 or unset).
DYNAMIC_THOUGHTS = 1024


@dataclass(frozen=True)
class StubModel:
    name: str
    # 2 (Gemini 2.5: budgets, 258-token tiles) or 3 (levels, media resolution).
    generation: int
    thinking_levels: tuple[str, ...] = ()
    default_level: str | None = None
    # Gemini 2.5 Pro cannot turn thinking off (its smallest budget is 128).
    can_stop_thinking: bool = True

    def thoughts(self, thinking: dict[str, object]) -> int:
        """Thinking tokens for a request's (already checked) ``thinkingConfig``."""
        level = thinking.get("thinkingLevel") or self.default_level
        if isinstance(level, str):
            return THOUGHTS_PER_LEVEL[level]
        budget = thinking.get("thinkingBudget", -1)
        if not isinstance(budget, int) or budget < 0:
            return DYNAMIC_THOUGHTS
        return min(budget, DYNAMIC_THOUGHTS)


MODELS = {
    model.name: model
    for model in (
        StubModel("gemini-2.5-flash", 2),
        StubModel("gemini-2.5-pro", 2, can_stop_thinking=False),
        StubModel("gemini-3.1-flash-lite", 3, ("MINIMAL", "LOW", "MEDIUM", "HIGH"), "MINIMAL"),
        StubModel("gemini-3.5-flash-lite", 3, ("MINIMAL", "LOW", "MEDIUM", "HIGH"), "MINIMAL"),
        StubModel("gemini-3.7-flash", 3, ("LOW", "MEDIUM", "HIGH"), "MEDIUM"),
        StubModel("gemini-3.8-flash", 3, ("LOW", "MEDIUM", "HIGH"), "MEDIUM"),
    )
}
