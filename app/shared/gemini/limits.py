"""Gemini's published limits on what one request may carry, and what images cost.

- An image costs 258 tokens when both sides are at most 384 px; otherwise it is cut into
  768x768 tiles of 258 tokens each.
- Inline data (base64 in the JSON body) is capped at 20 MB for the whole request, prompt
  included.
"""

from __future__ import annotations

import math

TILE_SIDE = 768
TOKENS_PER_TILE = 258
INLINE_REQUEST_LIMIT_BYTES = 20 * 1024 * 1024
# Room for the prompt text, the response schema and the JSON around the images.
PROMPT_ALLOWANCE_BYTES = 1024 * 1024


def tile_count(width: int, height: int) -> int:
    """How many 258-token tiles Gemini bills for an image of this size."""
    return math.ceil(width / TILE_SIDE) * math.ceil(height / TILE_SIDE)


def inline_size(byte_count: int) -> int:
    """The size of ``byte_count`` bytes once base64-encoded into the request body."""
    return 4 * math.ceil(byte_count / 3)


def inline_image_budget(image_count: int) -> int:
    """The most raw bytes each of ``image_count`` images may have for the request to fit."""
    encoded_share = (INLINE_REQUEST_LIMIT_BYTES - PROMPT_ALLOWANCE_BYTES) // image_count
    return encoded_share * 3 // 4
