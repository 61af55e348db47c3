"""Everything the stub remembers between requests: rules, recordings, usage, problems."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from devtools.gemini_stub.prompt import InlineImage, JsonObject, Prompt, ResponseSchema
from devtools.gemini_stub.rulebook import RuleBook, RuleState
from devtools.gemini_stub.rules import Answer, Rule
from devtools.gemini_stub.tokens import Usage, UsageTotals

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the stub saw and answered it (image bytes are never kept).

    ``status`` is what the stub answered; ``error`` says why it refused, if it did.
    """

    method: str
    model: str
    api_version: str
    received_at: datetime
    status: int
    texts: tuple[str, ...] = ()
    system_texts: tuple[str, ...] = ()
    images: tuple[InlineImage, ...] = ()
    generation_config: JsonObject = field(default_factory=dict)
    matched_rule: str | None = None
    usage: Usage | None = None
    error: str | None = None

    @property
    def image_count(self) -> int:
        return len(self.images)

    @property
    def response_schema(self) -> ResponseSchema | None:
        return self.prompt.response_schema

    @property
    def prompt(self) -> Prompt:
        return Prompt(self.texts, self.system_texts, self.images, self.generation_config)


@dataclass(frozen=True)
class Call:
    """Where a request went, before the stub decided anything about it."""

    method: str
    model: str
    api_version: str
    received_at: datetime

    def recorded(
        self,
        *,
        status: int,
        prompt: Prompt | None = None,
        matched_rule: str | None = None,
        usage: Usage | None = None,
        error: str | None = None,
    ) -> RecordedRequest:
        """The record of this call once the stub has answered it."""
        seen = prompt or Prompt((), (), (), {})
        return RecordedRequest(
            method=self.method,
            model=self.model,
            api_version=self.api_version,
            received_at=self.received_at,
            status=status,
            texts=seen.texts,
            system_texts=seen.system_texts,
            images=seen.images,
            generation_config=seen.generation_config,
            matched_rule=matched_rule,
            usage=usage,
            error=error,
        )


class StubState:
    """Shared by the Gemini endpoints, the control API and the Python facade.

    Everything runs on one event loop, so no locking is needed.
    """

    def __init__(self, rules: RuleBook, clock: Clock = utc_now) -> None:
        self.rules = rules
        self._clock = clock
        self._requests: list[RecordedRequest] = []
        self._usage = UsageTotals()
        self._problems: list[str] = []

    def start_call(self, method: str, model: str, api_version: str) -> Call:
        return Call(method, model, api_version, self._clock())

    def add_rule(self, rule: Rule) -> str:
        return self.rules.add(rule)

    def set_default_answer(self, answer: Answer) -> None:
        self.rules.default_answer = answer

    def record(self, request: RecordedRequest) -> None:
        self._requests.append(request)

    def bill(self, model: str, usage: Usage) -> None:
        self._usage = self._usage.plus(model, usage)

    def report_problem(self, problem: str) -> None:
        """A mistake in how the stub was programmed: logged, kept, and turned into a 500."""
        logger.error("Gemini stub: %s", problem)
        self._problems.append(problem)

    @property
    def requests(self) -> tuple[RecordedRequest, ...]:
        return tuple(self._requests)

    @property
    def usage(self) -> UsageTotals:
        return self._usage

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(self._problems)

    def rule_states(self) -> list[RuleState]:
        return self.rules.states()

    def reset(self) -> None:
        """Back to a fresh stub: no rules, recordings, usage or problems."""
        self.rules.clear()
        self._requests.clear()
        self._usage = UsageTotals()
        self._problems.clear()
