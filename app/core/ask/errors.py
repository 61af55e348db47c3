"""Why a question got no answer. All are RefusedQuestion, so adapters need catch only that."""

from __future__ import annotations

from app.core.errors import RefusedQuestion
from app.core.i18n import N_


class InvalidQuestion(RefusedQuestion):
    user_message = N_("Ask a question of 1 to 300 characters.")


class PipelineRefused(RefusedQuestion):
    """The planned pipeline broke a guard rule.

    The user sees the generic message; `rule` names what was broken, for the logs only, since
    telling a prober which rule stopped them helps them find a way around it.
    """

    def __init__(self, rule: str) -> None:
        self.rule = rule
        super().__init__()


class QuestionTooHeavy(RefusedQuestion):
    user_message = N_(
        "That question is too heavy to answer; try narrowing it (a mode, a map or a period)."
    )


class QuestionNotComputable(RefusedQuestion):
    user_message = N_("The database couldn't compute an answer to that; try rephrasing it.")
