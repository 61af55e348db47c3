"""A planner without an AI for the common /ask shapes; its plans go through the same guard."""

from app.core.ask.local.errors import AIUnavailableForQuestion, QuestionOutsideShapes
from app.core.ask.local.parse import Asker
from app.core.ask.local.planner import LocalPlan, map_spellings, plan_locally
from app.core.ask.local.shapes import shapes_help

__all__ = [
    "AIUnavailableForQuestion",
    "Asker",
    "LocalPlan",
    "QuestionOutsideShapes",
    "map_spellings",
    "plan_locally",
    "shapes_help",
]
