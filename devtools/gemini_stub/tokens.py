"""Token accounting that follows Gemini's published rules closely enough to estimate cost."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from devtools.gemini_stub.models import (
    GEMINI_3_IMAGE_TOKENS,
    GEMINI_3_UNSET_RESOLUTION,
    StubModel,
)
from devtools.gemini_stub.prompt import Prompt

TOKENS_PER_TILE = 258
SMALL_IMAGE_MAX_SIDE = 384
TILE_SIDE = 768
CHARS_PER_TOKEN = 4


def image_tokens(width: int, height: int) -> int:
    """Gemini 2.5: 258 tokens for a small image, else 258 per 768x768 tile."""
    if width <= SMALL_IMAGE_MAX_SIDE and height <= SMALL_IMAGE_MAX_SIDE:
        return TOKENS_PER_TILE
    return math.ceil(width / TILE_SIDE) * math.ceil(height / TILE_SIDE) * TOKENS_PER_TILE


def text_tokens(texts: Iterable[str]) -> int:
    """About one token per four characters, rounded up."""
    return math.ceil(sum(len(text) for text in texts) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Usage:
    """Tokens of one answered request, split the way ``usageMetadata`` reports them.

    Thinking tokens are billed as output, beside the candidates' tokens.
    """

    text_tokens: int = 0
    image_tokens: int = 0
    candidates_tokens: int = 0
    thoughts_tokens: int = 0

    @property
    def prompt_tokens(self) -> int:
        return self.text_tokens + self.image_tokens

    @property
    def output_tokens(self) -> int:
        return self.candidates_tokens + self.thoughts_tokens

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.text_tokens + other.text_tokens,
            self.image_tokens + other.image_tokens,
            self.candidates_tokens + other.candidates_tokens,
            self.thoughts_tokens + other.thoughts_tokens,
        )


def prompt_usage(prompt: Prompt, model: StubModel) -> Usage:
    """The prompt side of a request's usage (no output tokens yet)."""
    return Usage(
        text_tokens=text_tokens((*prompt.system_texts, *prompt.texts)),
        image_tokens=sum(
            media_tokens(model, prompt.media_resolution, image.width, image.height)
            for image in prompt.images
        ),
    )


def media_tokens(model: StubModel, resolution: str | None, width: int, height: int) -> int:
    """An image's tokens: by tiles on Gemini 2.5, by the media resolution on Gemini 3."""
    if model.generation < 3:
        return image_tokens(width, height)
    return GEMINI_3_IMAGE_TOKENS.get(
        resolution or "", GEMINI_3_IMAGE_TOKENS[GEMINI_3_UNSET_RESOLUTION]
    )


@dataclass(frozen=True)
class UsageTotals:
    """Running usage of every billed request, overall and per model, for cost reports."""

    billed_requests: int = 0
    usage: Usage = Usage()
    by_model: Mapping[str, Usage] = field(default_factory=dict)

    def plus(self, model: str, usage: Usage) -> UsageTotals:
        by_model = dict(self.by_model)
        by_model[model] = by_model.get(model, Usage()) + usage
        return UsageTotals(self.billed_requests + 1, self.usage + usage, by_model)
