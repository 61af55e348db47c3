"""Types shared by the wire schemas."""

from __future__ import annotations

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
