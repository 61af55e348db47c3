"""What a test programs into the stub: which requests to match and how to answer them.

The same frozen dataclasses serve the Python API and the JSON control API (through
``RULE_ADAPTER`` / ``ANSWER_ADAPTER``), so both paths validate identically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from devtools.gemini_stub.prompt import Prompt

JsonObject = dict[str, Any]


def _check_latency(latency_s: float) -> None:
    if latency_s < 0:
        raise ValueError("latency_s must not be negative")


@dataclass(frozen=True)
class JsonAnswer:
    """Answer with a JSON object, serialised as the candidate's text.

    When the request carries a response schema the object is validated against it;
    set ``violates_schema=True`` when a test sends a wrong shape on purpose.
    """

    value: JsonObject
    violates_schema: bool = False
    latency_s: float = 0.0
    # Top-level keys of `value` given only when the request's response schema has them, as a
    # model answers only what it is asked for (the app asks for "lobby" only sometimes).
    if_asked: tuple[str, ...] = ()
    kind: Literal["json"] = "json"

    def __post_init__(self) -> None:
        _check_latency(self.latency_s)

    def answered(self, asked: JsonObject | None) -> JsonObject:
        """`value` as answered to a request whose response schema is `asked`."""
        if not self.if_asked:
            return self.value
        properties = asked.get("properties") if asked is not None else None
        offered = properties if isinstance(properties, dict) else {}
        return {
            key: value
            for key, value in self.value.items()
            if key not in self.if_asked or key in offered
        }


@dataclass(frozen=True)
class TextAnswer:
    """Answer with raw candidate text (e.g. prose where JSON was asked for).

    Never checked against a response schema: sending the wrong thing is its purpose.
    """

    text: str
    latency_s: float = 0.0
    kind: Literal["text"] = "text"

    def __post_init__(self) -> None:
        _check_latency(self.latency_s)


@dataclass(frozen=True)
class SafetyBlock:
    """Refuse the prompt: ``promptFeedback.blockReason`` and no candidates."""

    reason: str = "SAFETY"
    latency_s: float = 0.0
    kind: Literal["safety_block"] = "safety_block"

    def __post_init__(self) -> None:
        _check_latency(self.latency_s)


@dataclass(frozen=True)
class ErrorAnswer:
    """Fail with an HTTP error status and a Google-shaped error body."""

    status: int
    message: str | None = None
    latency_s: float = 0.0
    kind: Literal["error"] = "error"

    def __post_init__(self) -> None:
        _check_latency(self.latency_s)
        if not 400 <= self.status <= 599:
            raise ValueError(f"an error answer needs a 4xx or 5xx status, not {self.status}")


Answer = Annotated[JsonAnswer | TextAnswer | SafetyBlock | ErrorAnswer, Field(discriminator="kind")]


@dataclass(frozen=True)
class Match:
    """Which requests a rule applies to; every criterion given must hold.

    ``prompt_contains`` and ``prompt_regex`` look at all the prompt's text (system
    instruction included); ``image_sha256`` lists hex digests of inline images that must
    all be present. An empty ``Match`` matches every request.
    """

    prompt_contains: str | None = None
    prompt_regex: str | None = None
    image_sha256: tuple[str, ...] = ()
    model: str | None = None

    def __post_init__(self) -> None:
        if self.prompt_regex is not None:
            try:
                re.compile(self.prompt_regex)
            except re.error as error:
                raise ValueError(f"invalid prompt_regex: {error}") from error
        object.__setattr__(self, "image_sha256", tuple(h.lower() for h in self.image_sha256))

    def matches(self, prompt: Prompt, model: str) -> bool:
        text = prompt.all_text
        return (
            (self.model is None or self.model == model)
            and (self.prompt_contains is None or self.prompt_contains in text)
            and (self.prompt_regex is None or re.search(self.prompt_regex, text) is not None)
            and set(self.image_sha256) <= prompt.image_hashes
        )


@dataclass(frozen=True)
class Step:
    """Give ``answer`` ``times`` times (forever when ``times`` is None)."""

    answer: Answer
    times: int | None = None

    def __post_init__(self) -> None:
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None for forever)")


@dataclass(frozen=True)
class Rule:
    """A match and the answers to give, in order; exhausted rules stop matching.

    ``Rule(Match(prompt_contains="x"), (Step(ErrorAnswer(429), times=2),
    Step(JsonAnswer({...}))))`` fails twice, then succeeds.
    """

    match: Match
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a rule needs at least one step")
        if any(step.times is None for step in self.steps[:-1]):
            raise ValueError("only the last step may repeat forever")

    @classmethod
    def always(cls, match: Match, answer: Answer) -> Rule:
        """A rule that gives the same answer to every matching request."""
        return cls(match, (Step(answer),))


RULE_ADAPTER: TypeAdapter[Rule] = TypeAdapter(Rule)
RULES_ADAPTER: TypeAdapter[list[Rule]] = TypeAdapter(list[Rule])
ANSWER_ADAPTER: TypeAdapter[Answer] = TypeAdapter(Answer)
