"""The programmed rules and their progress; picks the answer for each request."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from devtools.gemini_stub.prompt import Prompt
from devtools.gemini_stub.rules import Answer, ErrorAnswer, Rule

UNPROGRAMMED = ErrorAnswer(
    501,
    "Gemini stub: no rule matches this request. Program one (GeminiStub.add_rule or "
    "POST /_stub/rules) or set a default answer.",
)


@dataclass(frozen=True)
class RuleState:
    """A rule as programmed, how often it answered, and whether it is used up."""

    id: str
    rule: Rule
    hits: int
    exhausted: bool


class _ProgrammedRule:
    def __init__(self, rule_id: str, rule: Rule) -> None:
        self.id = rule_id
        self.rule = rule
        self.hits = 0

    @property
    def exhausted(self) -> bool:
        return self._current_answer() is None

    def take_answer(self) -> Answer | None:
        answer = self._current_answer()
        if answer is not None:
            self.hits += 1
        return answer

    def _current_answer(self) -> Answer | None:
        answered = self.hits
        for step in self.rule.steps:
            if step.times is None or answered < step.times:
                return step.answer
            answered -= step.times
        return None

    def state(self) -> RuleState:
        return RuleState(self.id, self.rule, self.hits, self.exhausted)


class RuleBook:
    """Rules in the order they were added; the most recent matching rule answers.

    Newest-first lets a test override a broader rule (such as the sample rules) for
    one case without removing it.
    """

    def __init__(self, default_answer: Answer = UNPROGRAMMED) -> None:
        self._initial_default = default_answer
        self.default_answer: Answer = default_answer
        self._rules: list[_ProgrammedRule] = []
        self._ids = itertools.count(1)

    def add(self, rule: Rule) -> str:
        rule_id = f"rule-{next(self._ids)}"
        self._rules.append(_ProgrammedRule(rule_id, rule))
        return rule_id

    def choose(self, prompt: Prompt, model: str) -> tuple[str | None, Answer]:
        """The id of the rule that answers (None for the default) and its answer."""
        for programmed in reversed(self._rules):
            if programmed.rule.match.matches(prompt, model):
                answer = programmed.take_answer()
                if answer is not None:
                    return programmed.id, answer
        return None, self.default_answer

    def states(self) -> list[RuleState]:
        return [programmed.state() for programmed in self._rules]

    def clear(self) -> None:
        """Forget every rule and restore the default answer given at construction."""
        self._rules.clear()
        self.default_answer = self._initial_default
