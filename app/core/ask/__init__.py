"""/ask: a question in plain language, answered by a guarded, scoped MongoDB aggregation.

The planner (an AI) proposes a pipeline over the catalogued match fields; the guard checks it
against allowlists and forces the asking server's or player's scope; a runner executes it with
a time limit; the rows are shown as a small table and phrased as one sentence.
"""

from app.core.ask.answer import Answer, answer_rows, fallback_sentence, render_table
from app.core.ask.errors import (
    InvalidQuestion,
    PipelineRefused,
    QuestionNotComputable,
    QuestionTooHeavy,
)
from app.core.ask.fields import FIELDS
from app.core.ask.guard import GuardedPipeline, Scope, guard_pipeline
from app.core.ask.guide import planner_guide

__all__ = [
    "FIELDS",
    "Answer",
    "GuardedPipeline",
    "InvalidQuestion",
    "PipelineRefused",
    "QuestionNotComputable",
    "QuestionTooHeavy",
    "Scope",
    "answer_rows",
    "fallback_sentence",
    "guard_pipeline",
    "planner_guide",
    "render_table",
]
