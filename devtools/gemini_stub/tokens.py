"""Token accounting that follows Gemini's published rules closely enough to estimate cost."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from devtools.gemini_stub.prompt import InlineImage, Prompt

TOKENS_PER_TILE = 258
SMALL_IMAGE_MAX_SIDE = 384
TILE_SIDE = 768
CHARS_PER_TOKEN = 4


def image_tokens(width: int, height: int) -> int:
    """258 tokens for a small image, else 258 per 768x768 tile."""
    if width <= SMALL_IMAGE_MAX_SIDE and height <= SMALL_IMAGE_MAX_SIDE:
        return TOKENS_PER_TILE
    return math.ceil(width / TILE_SIDE) * math.ceil(height / TILE_SIDE) * TOKENS_PER_TILE


def text_tokens(texts: Iterable[str]) -> int:
    """About one token per four characters, rounded up."""
    return math.ceil(sum(len(text) for text in texts) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Usage:
    """Tokens of one answered request, split the way ``usageMetadata`` reports them."""

    text_tokens: int = 0
    image_tokens: int = 0
    candidates_tokens: int = 0

    @property
    def prompt_tokens(self) -> int:
        return self.text_tokens + self.image_tokens

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.candidates_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.text_tokens + other.text_tokens,
            self.image_tokens + other.image_tokens,
            self.candidates_tokens + other.candidates_tokens,
        )


def prompt_usage(prompt: Prompt) -> Usage:
    """The prompt side of a request's usage (no candidate tokens yet)."""
    return Usage(
        text_tokens=text_tokens((*prompt.system_texts, *prompt.texts)),
        image_tokens=sum(_tokens_of(image) for image in prompt.images),
    )


def _tokens_of(image: InlineImage) -> int:
    return image_tokens(image.width, image.height)


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
