"""The written debrief of a match: a headline, strengths, things to work on."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class DebriefSource(StrEnum):
    AI = "ai"
    # Written from the numbers alone when the AI is unavailable, so a match always gets one.
    TEMPLATE = "template"


class Record(BaseModel):
    """A personal best or milestone the match set (`app/core/debriefing/records.py`): one line
    of text, and a key that names it for good, so it is announced once."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(max_length=200)
    text: str = Field(max_length=200)


class DebriefFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    match_id: str
    guild_id: int
    user_id: int
    headline: str = Field(max_length=200)
    strengths: list[str] = Field(max_length=3)
    to_work_on: list[str] = Field(max_length=3)
    comparison: str = Field(default="", max_length=1000)
    records: list[Record] = Field(default_factory=list, max_length=20)
    source: DebriefSource
    model: str | None = None
    prompt_tokens: int = 0
    output_tokens: int = 0
    created_at: datetime


class Debrief(DebriefFields):
    id: str
