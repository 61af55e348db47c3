"""A local, programmable Gemini API stub for tests, benchmarks and the sandbox.

The real ``google-genai`` client talks to it through ``HttpOptions(base_url=...)``.
"""

from devtools.gemini_stub.prompt import InlineImage, ResponseSchema
from devtools.gemini_stub.rulebook import UNPROGRAMMED, RuleState
from devtools.gemini_stub.rules import (
    Answer,
    ErrorAnswer,
    JsonAnswer,
    Match,
    Rule,
    SafetyBlock,
    Step,
    TextAnswer,
)
from devtools.gemini_stub.server import DEFAULT_API_KEY, GeminiStub
from devtools.gemini_stub.state import RecordedRequest
from devtools.gemini_stub.tokens import Usage, UsageTotals, image_tokens, text_tokens

__all__ = [
    "DEFAULT_API_KEY",
    "UNPROGRAMMED",
    "Answer",
    "ErrorAnswer",
    "GeminiStub",
    "InlineImage",
    "JsonAnswer",
    "Match",
    "RecordedRequest",
    "ResponseSchema",
    "Rule",
    "RuleState",
    "SafetyBlock",
    "Step",
    "TextAnswer",
    "Usage",
    "UsageTotals",
    "image_tokens",
    "text_tokens",
]
