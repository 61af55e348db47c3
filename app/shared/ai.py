"""The AI a process uses: Gemini when a key is configured, otherwise an honest refusal."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, NoReturn

from app.core.ai import (
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
from app.core.bootstrap import AIDependencies
from app.core.errors import AIUnavailable
from app.shared.gemini import GeminiAI, open_gemini
from app.shared.image_workers import IsolatedImagePreparer
from app.shared.images import PillowImagePreparer
from app.shared.settings import Settings

logger = logging.getLogger(__name__)


class NotConfigured(AIUnavailable):
    user_message = (
        "The AI isn't set up on this Debrief (no GEMINI_API_KEY). Use /log to enter a match "
        "by hand."
    )


class UnconfiguredAI(StatsReader, DebriefWriter, QueryPlanner, DigestWriter):
    """Every call fails as "AI unavailable": /log, templates and reads keep working."""

    async def read_stats(self, images: Sequence[PreparedImage], note: str | None) -> Extraction:
        self._refuse()

    async def write_debrief(self, facts: Mapping[str, Any]) -> DebriefText:
        self._refuse()

    async def plan(self, question: str, fields: Mapping[str, str]) -> PlannedQuery:
        self._refuse()

    async def phrase(self, answer: AnswerRows) -> str:
        self._refuse()

    async def write_digest(self, facts: Mapping[str, Any]) -> str:
        self._refuse()

    @staticmethod
    def _refuse() -> NoReturn:
        raise NotConfigured


@asynccontextmanager
async def open_ai(settings: Settings) -> AsyncIterator[AIDependencies]:
    # Screenshots are decoded in worker processes, started on the first one (see
    # image_workers): the API, which never prepares an image, starts none.
    images = IsolatedImagePreparer(PillowImagePreparer(), workers=settings.image_workers)
    try:
        async with _ai_services(settings) as services:
            yield AIDependencies(
                images=images,
                stats_reader=services,
                debrief_writer=services,
                planner=services,
                digest_writer=services,
            )
    finally:
        await asyncio.to_thread(images.close)


@asynccontextmanager
async def _ai_services(settings: Settings) -> AsyncIterator[GeminiAI | UnconfiguredAI]:
    """Everything the AI does besides preparing images: Gemini, or an honest refusal."""
    if settings.gemini_api_key is None:
        logger.warning(
            "GEMINI_API_KEY is not set: screenshots can't be read, debriefs use templates"
        )
        yield UnconfiguredAI()
        return
    async with open_gemini(settings) as gemini:
        yield gemini
