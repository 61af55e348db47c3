"""``GeminiAI``: the core's AI ports (reading stats, writing text, planning queries) on Gemini."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from google import genai
from google.genai import types

from app.core.ai import (
    AIUsage,
    AnswerRows,
    DebriefText,
    DebriefWriter,
    DigestWriter,
    Extraction,
    PlannedQuery,
    PreparedImage,
    QueryPlanner,
    StatsReader,
)
from app.core.ask.errors import PipelineRefused
from app.core.ask.guide import planner_guide
from app.core.errors import (
    AIUnavailable,
    DomainError,
    InvalidAttachment,
    RefusedQuestion,
    UnreadableScreenshot,
)
from app.core.i18n import N_, _, current_language
from app.shared.gemini import answers, prompts, schemas
from app.shared.gemini.answers import RefusedPlan, Unanswerable, UnusableAnswer
from app.shared.gemini.calls import GeminiCaller, UsageObserver, ignore_usage
from app.shared.gemini.limits import (
    INLINE_REQUEST_LIMIT_BYTES,
    PROMPT_ALLOWANCE_BYTES,
    inline_size,
)
from app.shared.gemini.request import Effort, Task

T = TypeVar("T")

# Enough rows for any sentence; a long table would only cost tokens.
MAX_PHRASED_ROWS = 25

# Reading and planning want the single most likely answer and no thinking: the digits are on
# the screenshot, the query follows a template. Writing wants a little variety (where the
# model still takes a temperature) and a little thinking to word it.
# The lobby (the other rows) is asked for only when a squad mate can be captured from it: it
# makes a reading about 40% dearer (docs/performance.md). Two tasks, each with its own schema.
READ_STATS = Task(
    "read_stats",
    prompts.EXTRACTION_SYSTEM,
    schemas.extraction_schema(with_lobby=False),
    0.0,
    Effort.OFF,
    reads_images=True,
)
READ_STATS_AND_LOBBY = Task(
    "read_stats",
    prompts.EXTRACTION_SYSTEM_WITH_LOBBY,
    schemas.extraction_schema(with_lobby=True),
    0.0,
    Effort.OFF,
    reads_images=True,
)
WRITE_DEBRIEF = Task(
    "write_debrief", prompts.DEBRIEF_SYSTEM, schemas.DEBRIEF_SCHEMA, 0.7, Effort.LOW
)
PLAN_QUERY = Task("plan_query", prompts.PLAN_SYSTEM, schemas.PLAN_SCHEMA, 0.0, Effort.OFF)
PHRASE_ANSWER = Task(
    "phrase_answer", prompts.PHRASE_SYSTEM, schemas.SENTENCE_SCHEMA, 0.2, Effort.LOW
)
WRITE_DIGEST = Task("write_digest", prompts.DIGEST_SYSTEM, schemas.DIGEST_SCHEMA, 0.7, Effort.LOW)

TOO_LARGE_FOR_GEMINI = N_("Those screenshots are too large to send to the AI together.")


class GeminiAI(StatsReader, DebriefWriter, QueryPlanner, DigestWriter):
    """Every AI port of the core, on the google-genai async client.

    Build it with `build_gemini(settings)`; close it with `aclose()`.
    """

    def __init__(
        self,
        client: genai.Client,
        *,
        model: str,
        attempts: int,
        on_usage: UsageObserver = ignore_usage,
    ) -> None:
        self._client = client
        self._caller = GeminiCaller(client, model=model, attempts=attempts, on_usage=on_usage)

    async def aclose(self) -> None:
        await self._client.aio.aclose()

    async def warm_up(self) -> None:
        """What the first call would build (the SDK's types); the bot calls it at start-up."""
        self._caller.warm_up()

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
    ) -> Extraction:
        if not images:
            raise ValueError("read_stats needs at least one image")
        _check_inline_size(images)
        parts = [
            types.Part.from_bytes(data=image.data, mime_type=image.mime_type) for image in images
        ]
        request = prompts.extraction_request(with_lobby)
        if note and note.strip():
            request += "\n\n" + prompts.EXTRACTION_NOTE.format(note=note.strip())
        if known_gamertags:
            request += "\n\n" + prompts.extraction_names(known_gamertags, with_lobby=with_lobby)
        task = READ_STATS_AND_LOBBY if with_lobby else READ_STATS
        (stats, lobby), usage = await self._ask(
            task, [*parts, request], answers.extraction, unusable=UnreadableScreenshot
        )
        return Extraction(raw_stats=stats, usage=usage, lobby=lobby)

    async def write_debrief(self, facts: Mapping[str, Any]) -> DebriefText:
        request = prompts.in_language(
            prompts.DEBRIEF_REQUEST.format(facts=_as_json(facts)), _language()
        )
        (headline, strengths, to_work_on), usage = await self._ask(
            WRITE_DEBRIEF, [request], answers.debrief_parts
        )
        return DebriefText(headline, strengths, to_work_on, usage)

    async def plan(self, question: str, fields: Mapping[str, str]) -> PlannedQuery:
        """Raise RefusedQuestion when the model finds the fields cannot answer it."""
        listed = "\n".join(f"- {path}: {meaning}" for path, meaning in fields.items())
        request = prompts.PLAN_REQUEST.format(
            rules=planner_guide(), fields=listed, question=question.strip()
        )
        (pipeline, title), usage = await self._ask(PLAN_QUERY, [request], answers.planned_query)
        return PlannedQuery(pipeline=pipeline, title=title, usage=usage)

    async def phrase(self, answer: AnswerRows) -> str:
        rows = [dict(zip(answer.columns, row, strict=False)) for row in answer.rows]
        request = prompts.in_language(
            prompts.PHRASE_REQUEST.format(
                question=answer.question.strip(),
                title=answer.title,
                rows=_as_json(rows[:MAX_PHRASED_ROWS]),
            ),
            _language(),
        )
        text, _ = await self._ask(PHRASE_ANSWER, [request], answers.sentence)
        return text

    async def write_digest(self, facts: Mapping[str, Any]) -> str:
        request = prompts.in_language(
            prompts.DIGEST_REQUEST.format(facts=_as_json(facts)), _language()
        )
        text, _ = await self._ask(WRITE_DIGEST, [request], answers.summary)
        return text

    async def _ask(
        self,
        task: Task,
        contents: Sequence[types.Part | str],
        parse: Callable[[Mapping[str, Any]], T],
        *,
        unusable: type[DomainError] = AIUnavailable,
    ) -> tuple[T, AIUsage]:
        try:
            return await self._caller.ask(task, contents, parse)
        except Unanswerable as problem:
            raise RefusedQuestion() from problem
        except RefusedPlan as problem:
            raise PipelineRefused(problem.reason) from problem
        except UnusableAnswer as problem:
            raise unusable() from problem


def _check_inline_size(images: Sequence[PreparedImage]) -> None:
    encoded = sum(inline_size(len(image.data)) for image in images)
    if encoded + PROMPT_ALLOWANCE_BYTES > INLINE_REQUEST_LIMIT_BYTES:
        raise InvalidAttachment(_(TOO_LARGE_FOR_GEMINI))


def _language() -> str:
    # The language the handler speaks: a debrief's interaction's, a digest's server's.
    return current_language().english_name


def _as_json(value: object) -> str:
    # Facts may hold dates or enums; their string form is what the model should see.
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
