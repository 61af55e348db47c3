"""/ask on the wire: a question about a server's matches, and a table with one sentence."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas.common import SnowflakeInput
from app.core.ask.answer import Answer
from app.core.guilds import AskScope

# Past 2**53, a JSON number loses digits in JavaScript: such ids travel as strings.
_SAFE_INTEGER = 2**53
Cell = str | int | float | bool | None


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=300, examples=["my average K/D this month"])
    guild_id: SnowflakeInput = Field(description="The server whose matches to ask about.")
    scope: AskScope | None = Field(
        default=None,
        description=(
            "Only my matches, or the whole server; null: the server's setting. The server's "
            'setting is a ceiling: when it is "me", the answer covers your matches only.'
        ),
    )


class AskAnswer(BaseModel):
    question: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    sentence: str
    omitted: int = Field(description="Rows the query found beyond those shown.")
    note: str | None = Field(
        default=None,
        description="Why the answer covers less than asked (the server allows only your "
        "own matches), or null.",
    )

    @classmethod
    def of(cls, answer: Answer) -> AskAnswer:
        table = answer.rows
        return cls(
            question=table.question,
            title=table.title,
            columns=list(table.columns),
            rows=[[_json_safe(cell) for cell in row] for row in table.rows],
            sentence=answer.sentence,
            omitted=answer.omitted,
            note=answer.note,
        )


def _json_safe(cell: object) -> Cell:
    if isinstance(cell, bool) or cell is None:
        return cell
    if isinstance(cell, int):
        return cell if abs(cell) < _SAFE_INTEGER else str(cell)
    if isinstance(cell, float | str):
        return cell
    return str(cell)
