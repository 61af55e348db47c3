"""Why the local planner could not answer: both messages say which questions it can."""

from __future__ import annotations

from app.core.ask.local.shapes import shapes_help
from app.core.errors import AIUnavailable, RefusedQuestion
from app.core.i18n import N_, _

# A constant of its own: the catalog's extraction does not look inside f-strings.
WITHOUT_AI_LEAD = N_("Without it, I can answer")


class QuestionOutsideShapes(RefusedQuestion):
    """No AI plans questions here (no key, or /ask set to the local planner)."""

    user_message = N_("This Debrief answers /ask without an AI, and can't read that question.")

    def __init__(self) -> None:
        # The help is written when the question is refused, in the language it was asked in.
        super().__init__(f"{_(type(self).user_message)} {shapes_help()}")


class AIUnavailableForQuestion(AIUnavailable):
    """The AI is down and the question is not one the local planner reads."""

    user_message = N_("The AI is unavailable right now; try again in a minute.")

    def __init__(self) -> None:
        super().__init__(f"{_(type(self).user_message)} {shapes_help(WITHOUT_AI_LEAD)}")
