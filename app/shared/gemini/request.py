"""The generation settings of one task on one model: thinking, temperature, image resolution.

Each model takes its own subset (see models.py): a Gemini 3 model refuses a thinking budget
together with a level and a level it lacks, ignores a temperature; Gemini 2.5 knows no levels.
A model missing from the table gets none of these, only what every Gemini model accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from google.genai import types

from app.shared.gemini.models import GeminiModel, ThinkingControl
from app.shared.gemini.schemas import JsonSchema


class Effort(StrEnum):
    """How much a task needs the model to think before answering."""

    # Reading digits off a scoreboard or filling a query template: the answer is there.
    OFF = "off"
    # Writing a few sentences from numbers: a little planning helps the wording.
    LOW = "low"


# Gemini 2.5 counts thinking in tokens: 0 turns it off (Flash), a small budget is "low".
_BUDGETS = {Effort.OFF: 0, Effort.LOW: 1024}
# Gemini 3 counts it in levels: the lowest the model takes for OFF (MINIMAL where it exists).
_LEVELS = {Effort.OFF: ("MINIMAL", "LOW"), Effort.LOW: ("LOW",)}

# A scoreboard is a table of digits, like a document page: Google's Gemini 3 guide finds
# document reading saturates at medium (560 tokens an image) where high costs 1,120.
SCOREBOARD_RESOLUTION = types.MediaResolution.MEDIA_RESOLUTION_MEDIUM


@dataclass(frozen=True, slots=True)
class Task:
    """What one kind of call asks for; ``name`` identifies it in the logs and metrics."""

    name: str
    system: str
    schema: JsonSchema
    # Used only by models that still take one (Gemini 2.5).
    temperature: float
    effort: Effort
    reads_images: bool = False


def generation_config(task: Task, model: GeminiModel | None) -> types.GenerateContentConfig:
    config = types.GenerateContentConfig(
        system_instruction=task.system,
        response_mime_type="application/json",
        response_json_schema=task.schema,
        # No tools are offered, so there is nothing to call automatically.
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
    )
    if model is None:
        return config
    config.thinking_config = thinking_config(task.effort, model)
    if model.takes_temperature:
        config.temperature = task.temperature
    if task.reads_images and model.takes_media_resolution:
        config.media_resolution = SCOREBOARD_RESOLUTION
    return config


def thinking_config(effort: Effort, model: GeminiModel) -> types.ThinkingConfig:
    """Exactly one of the two controls, in the form this model takes."""
    if model.thinking is ThinkingControl.BUDGET:
        return types.ThinkingConfig(thinking_budget=_BUDGETS[effort])
    wanted = (level for level in _LEVELS[effort] if level in model.thinking_levels)
    level = next(wanted, model.thinking_levels[0])
    return types.ThinkingConfig(thinking_level=types.ThinkingLevel(level))
