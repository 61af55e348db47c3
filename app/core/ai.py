"""What the core asks of the AI, as abstract interfaces and plain value types.

The Gemini implementation lives in app/shared/gemini. Every method raises AIUnavailable when
the model can't be reached or keeps failing, so callers decide what a failure means: nothing
saved (reading a screenshot) or a template instead (writing a debrief).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class AIUsage:
    """Tokens one call consumed, for cost accounting."""

    model: str
    prompt_tokens: int = 0
    # Everything billed as output: the answer and the model's thinking.
    output_tokens: int = 0
    # The thinking part of ``output_tokens``.
    thoughts_tokens: int = 0


@dataclass(frozen=True, slots=True)
class PreparedImage:
    """A screenshot ready for the model: re-encoded, downscaled, hashed before any change."""

    data: bytes
    mime_type: str
    width: int
    height: int
    # Of the bytes the user uploaded: the same screenshot posted again has the same hash.
    source_sha256: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """Raw match stats as the model read them; validated by the game model, never trusted."""

    raw_stats: Mapping[str, Any]
    usage: AIUsage
    # Another reader's raw stats of the same screenshots, when one read them too
    # (`app/core/cross_check.py`): compared with these once both are validated.
    second_reading: Mapping[str, Any] | None = None
    # The scoreboard's other rows, raw and untrusted (`app/core/game/lobby.py` validates them):
    # one mapping per player other than the uploader, with "gamertag", "team" ("ally" or
    # "enemy") and the same stat fields as ``raw_stats["player"]``.
    lobby: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class DebriefText:
    headline: str
    strengths: tuple[str, ...]
    to_work_on: tuple[str, ...]
    usage: AIUsage


@dataclass(frozen=True, slots=True)
class PlannedQuery:
    """An aggregation pipeline the model proposed for a question; checked by the guard."""

    pipeline: Sequence[Mapping[str, Any]]
    title: str
    usage: AIUsage


@dataclass(frozen=True, slots=True)
class AnswerRows:
    question: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] = field(default_factory=tuple)


class ImagePreparer(ABC):
    @abstractmethod
    async def prepare(self, data: bytes, mime_type: str) -> PreparedImage:
        """Decode, downscale and re-encode; raise UnreadableScreenshot if it is not an image.

        CPU-heavy: done away from the event loop (the bot: in worker processes), so awaiting
        it never holds up the loop or a thread of its default executor."""

    async def warm_up(self) -> None:
        """Start now whatever the first `prepare` would start (workers), if anything."""
        return  # most preparers start nothing


class StatsReader(ABC):
    @abstractmethod
    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
    ) -> Extraction:
        """Read one match's stats; UnreadableScreenshot if there is no scoreboard to read.

        `known_gamertags`: the uploader's linked names (`app/core/links.py`). The player's row
        is the one showing one of them; when none does, the highlighted row. A reader that
        cannot look rows up by name reads the highlighted row, as without names.

        `with_lobby`: read the other rows too (`Extraction.lobby`). Asked only when a squad
        mate could be captured from them: for a paid reader they cost output tokens.
        """

    async def warm_up(self) -> None:
        """Load now whatever the first `read_stats` would load (a local model), if anything."""
        return  # a remote reader loads nothing


async def read_stats(
    reader: StatsReader,
    images: Sequence[PreparedImage],
    note: str | None,
    known_gamertags: Sequence[str] = (),
    *,
    with_lobby: bool = False,
) -> Extraction:
    """Ask `reader`, passing the names only when there are some, and the lobby only when it
    is wanted: a reader written before either existed keeps working for every player who
    linked no name, in a server where nobody asked for capture."""
    options: dict[str, Any] = {}
    if known_gamertags:
        options["known_gamertags"] = known_gamertags
    if with_lobby:
        options["with_lobby"] = True
    return await reader.read_stats(images, note, **options)


class DebriefWriter(ABC):
    @abstractmethod
    async def write_debrief(self, facts: Mapping[str, Any]) -> DebriefText:
        """Write the narrative from numbers computed beforehand; the model adds no numbers."""


class QueryPlanner(ABC):
    @abstractmethod
    async def plan(self, question: str, fields: Mapping[str, str]) -> PlannedQuery:
        """Turn a question into an aggregation pipeline over the documented match fields.

        RefusedQuestion when the model says the fields can't answer it.
        """

    @abstractmethod
    async def phrase(self, answer: AnswerRows) -> str:
        """One sentence answering the question from the rows."""


class DigestWriter(ABC):
    @abstractmethod
    async def write_digest(self, facts: Mapping[str, Any]) -> str:
        """A short summary of a server's week from its numbers."""
