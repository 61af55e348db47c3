"""Types shared by the wire schemas."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import Field, WithJsonSchema

# Discord ids are unsigned 64-bit numbers; MongoDB stores them as signed 64-bit integers.
MAX_SNOWFLAKE = 2**63 - 1
SNOWFLAKE_PATTERN = r"^[0-9]{1,19}$"

Snowflake = Annotated[int, Field(ge=0, le=MAX_SNOWFLAKE)]
"""A Discord id in a path or query parameter."""

SnowflakeInput = Annotated[
    int,
    Field(ge=0, le=MAX_SNOWFLAKE),
    # Discord ids overflow JavaScript numbers, so clients send them as strings; pydantic
    # turns the string into an int.
    WithJsonSchema(
        {"type": "string", "pattern": SNOWFLAKE_PATTERN, "description": "A Discord id."}
    ),
]
"""A Discord id in a request body."""

SnowflakeString = Annotated[
    str, Field(pattern=SNOWFLAKE_PATTERN, description="A Discord id, as a string.")
]
"""A Discord id in a response: a string, since it overflows JavaScript numbers."""


class Period(StrEnum):
    """How far back a leaderboard or a summary looks."""

    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    ALL = "all"

    def since(self, now: datetime) -> datetime | None:
        """The start of the period ending now; None for all time."""
        days = _PERIOD_DAYS.get(self)
        return None if days is None else now - timedelta(days=days)


_PERIOD_DAYS = {Period.WEEK: 7, Period.MONTH: 30, Period.SEASON: 90}
