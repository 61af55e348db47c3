"""The Gemini models Debrief knows, as data: prices, thinking control, what each accepts.

Every fact here was looked up on 2026-12-06; docs/gemini-models.md names the page each came
from. A model missing from the table still works: the adapter sends it only what every
Gemini model accepts, and start-up warns that its cost is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ThinkingControl(StrEnum):
    """How a model is told how much to think: Gemini 2.5 in tokens, Gemini 3 in levels."""

    BUDGET = "thinking_budget"
    LEVEL = "thinking_level"


@dataclass(frozen=True, slots=True)
class GeminiModel:
    name: str
    family: str
    # USD per million tokens, paid tier, standard rates; thinking tokens are billed as output.
    input_price: float
    output_price: float
    thinking: ThinkingControl
    # The thinking levels the model accepts, lowest first (empty for budget models).
    thinking_levels: tuple[str, ...] = ()
    # Gemini 3 ignores or deprecates custom sampling; 2.5 still takes a temperature.
    takes_temperature: bool = False
    # Whether Debrief sends `media_resolution` to this model (Gemini 3's token-per-image scale).
    takes_media_resolution: bool = False
    # Google's announced shutdown date; past it, Google routes requests to another model.
    shutdown: date | None = None

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        """Dollars for these tokens (output includes thinking)."""
        return (input_tokens * self.input_price + output_tokens * self.output_price) / 1_000_000


# google-genai 3.x talks to `v1` by default (`GOOGLE_AI_API_DEFAULT_VERSION`); pinned here so
# an SDK upgrade cannot move the app to another API surface unnoticed.
API_VERSION = "v1"
MODELS_AS_OF = date(2026, 12, 6)

SUPPORTED_MODELS: dict[str, GeminiModel] = {
    model.name: model
    for model in (
        GeminiModel(
            name="gemini-3.5-flash-lite",
            family="gemini-3",
            input_price=0.30,
            output_price=2.50,
            thinking=ThinkingControl.LEVEL,
            thinking_levels=("MINIMAL", "LOW", "MEDIUM", "HIGH"),
            takes_media_resolution=True,
        ),
        GeminiModel(
            name="gemini-3.8-flash",
            family="gemini-3",
            # Launch prices, "through December 31, 2026"; $1.50 / $7.50 from 2027-01-01.
            input_price=0.75,
            output_price=3.75,
            thinking=ThinkingControl.LEVEL,
            thinking_levels=("LOW", "MEDIUM", "HIGH"),
            takes_media_resolution=True,
        ),
        GeminiModel(
            name="gemini-3.1-flash-lite",
            family="gemini-3",
            input_price=0.25,
            output_price=1.50,
            thinking=ThinkingControl.LEVEL,
            thinking_levels=("MINIMAL", "LOW", "MEDIUM", "HIGH"),
            takes_media_resolution=True,
            shutdown=date(2027, 5, 7),
        ),
        GeminiModel(
            name="gemini-2.5-flash",
            family="gemini-2.5",
            input_price=0.30,
            output_price=2.50,
            thinking=ThinkingControl.BUDGET,
            takes_temperature=True,
            shutdown=date(2026, 12, 1),
        ),
    )
}

# Google's replacement for gemini-2.5-flash at the same price, stable, no shutdown announced,
# and thinking at its minimal level unless asked: reading stats needs no more.
DEFAULT_MODEL = "gemini-3.5-flash-lite"


def lookup(name: str) -> GeminiModel | None:
    return SUPPORTED_MODELS.get(name)


def model_warning(name: str, today: date) -> str | None:
    """What an operator should hear at start-up about ``GEMINI_MODEL``, if anything."""
    model = lookup(name)
    if model is None:
        return (
            f"GEMINI_MODEL={name} is not one Debrief knows ({', '.join(SUPPORTED_MODELS)}): "
            "its cost is unknown and it gets no thinking, temperature or image-resolution "
            f"settings. The default is {DEFAULT_MODEL}."
        )
    if model.shutdown is None:
        return None
    if model.shutdown <= today:
        return (
            f"GEMINI_MODEL={name} was shut down on {model.shutdown.isoformat()}: Google now "
            "answers with another model at that model's price. "
            f"Set GEMINI_MODEL={DEFAULT_MODEL} (the default) or unset it."
        )
    return (
        f"GEMINI_MODEL={name} is deprecated and shuts down on {model.shutdown.isoformat()}. "
        f"Plan a move to {DEFAULT_MODEL} (the default)."
    )
