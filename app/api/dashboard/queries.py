"""What a page's query string may ask for, validated like the API's queries.

An HTML `<select>` sends "" for "any"; that means no filter here, not an invalid value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, Field, model_validator

from app.api.schemas.common import Snowflake
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.i18n import _
from app.core.reads.options import DEFAULT_LEADERBOARD_PERIOD, Option, Period

MATCHES_PER_PAGE = 20
LEADERBOARD_SIZE = 25


class PageQuery(BaseModel):
    """A query string whose blank values are absent: each field then takes its default."""

    @model_validator(mode="before")
    @classmethod
    def _blanks_are_absent(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}


class MatchFilters(PageQuery):
    mode: Mode | None = None
    map: str | None = Field(default=None, max_length=64)
    period: Period = Period.ALL
    cursor: str | None = Field(default=None, max_length=200)


class TrendChoice(PageQuery):
    stat: Stat = Stat.KD
    last: int = Field(default=20, ge=2, le=100)
    guild_id: Snowflake | None = None
    mode: Mode | None = None
    # A squadmate to overlay: only within `guild_id`, a server both belong to.
    compare_with: Snowflake | None = None


class BoardChoice(PageQuery):
    stat: Stat = Stat.KD
    period: Period = DEFAULT_LEADERBOARD_PERIOD
    mode: Mode | None = None


def choices(options: Iterable[Option]) -> list[tuple[str, str]]:
    """Options as the (value, label) pairs a template's <select> lists, in the request's
    language (every label is in the catalog: the slash commands offer the same choices)."""
    return [(option.value, _(option.label)) for option in options]
