"""What a page's query string may ask for, validated like the API's queries.

An HTML `<select>` sends "" for "any"; that means no filter here, not an invalid value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from app.api.schemas.common import Snowflake
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.reads.options import DEFAULT_LEADERBOARD_PERIOD, Option, Period

MATCHES_PER_PAGE = 20
LEADERBOARD_SIZE = 25


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)


class MatchFilters(BaseModel):
    mode: Annotated[Mode | None, Blank] = None
    map: Annotated[Annotated[str, Field(max_length=64)] | None, Blank] = None
    period: Annotated[Period, Blank] = Period.ALL
    cursor: Annotated[Annotated[str, Field(max_length=200)] | None, Blank] = None


class TrendChoice(BaseModel):
    stat: Annotated[Stat, Blank] = Stat.KD
    last: Annotated[int, Blank, Field(ge=2, le=100)] = 20
    guild_id: Annotated[Snowflake | None, Blank] = None
    mode: Annotated[Mode | None, Blank] = None
    # A squadmate to overlay: only within `guild_id`, a server both belong to.
    compare_with: Annotated[Snowflake | None, Blank] = None


class BoardChoice(BaseModel):
    stat: Annotated[Stat, Blank] = Stat.KD
    period: Annotated[Period, Blank] = DEFAULT_LEADERBOARD_PERIOD
    mode: Annotated[Mode | None, Blank] = None


def choices(options: Iterable[Option]) -> list[tuple[str, str]]:
    """Options as the (value, label) pairs a template's <select> lists."""
    return [(option.value, option.label) for option in options]
