"""Why the local planner could not answer: both messages say which questions it can."""

from __future__ import annotations

from app.core.ask.local.shapes import shapes_help
from app.core.errors import AIUnavailable, RefusedQuestion


class QuestionOutsideShapes(RefusedQuestion):
    """No AI plans questions here (no key, or /ask set to the local planner)."""

    user_message = (
        f"This Debrief answers /ask without an AI, and can't read that question. {shapes_help()}"
    )


class AIUnavailableForQuestion(AIUnavailable):
    """The AI is down and the question is not one the local planner reads."""

    user_message = (
        "The AI is unavailable right now; try again in a minute. "
        f"{shapes_help('Without it, I can answer')}"
    )
