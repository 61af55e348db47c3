"""The AI a process uses: Gemini when a key is configured, otherwise an honest refusal.

Screenshots are read by Gemini or by the on-device reader (`app/shared/local_reader`), as
AI_READER says: "auto" reads with Gemini when GEMINI_API_KEY is set and on this machine
otherwise (when the `local-ai` extra is installed).

/ask is the exception: without a key its planner is None and the core's local planner
answers the common questions (see app.core.ask.planning).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any, NoReturn

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
    read_stats,
)
from app.core.bootstrap import AIDependencies
from app.core.cross_check import CHECK_GRACE_S, CHECK_TIMEOUT_S, CrossCheckedReader
from app.core.errors import AIUnavailable
from app.shared.catalog.loader import load_catalog
from app.shared.development_readers import development_check_reader
from app.shared.gemini.models import lookup
from app.shared.image_workers import IsolatedImagePreparer
from app.shared.images import PillowImagePreparer
from app.shared.local_reader import LocalStatsReader, local_reader_installed
from app.shared.settings import Settings

if TYPE_CHECKING:
    from app.shared.gemini import GeminiAI
    from app.shared.gemini.calls import UsageObserver

logger = logging.getLogger(__name__)


class NotConfigured(AIUnavailable):
    user_message = (
        "The AI isn't set up on this Debrief (no GEMINI_API_KEY). Use /log to enter a match "
        "by hand."
    )


class UnconfiguredAI(StatsReader, DebriefWriter, QueryPlanner, DigestWriter):
    """Every call fails as "AI unavailable": /log, templates and reads keep working."""

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
    ) -> Extraction:
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


class WritingOff(AIUnavailable):
    user_message = "Debriefs and digests are written from templates here (GEMINI_WRITES=false)."


class TemplatesOnly(DebriefWriter, DigestWriter):
    """Writes nothing, so debriefs and digests take their templates: GEMINI_WRITES=false."""

    async def write_debrief(self, facts: Mapping[str, Any]) -> DebriefText:
        raise WritingOff

    async def write_digest(self, facts: Mapping[str, Any]) -> str:
        raise WritingOff


class GeminiOnFirstUse(StatsReader, DebriefWriter, QueryPlanner, DigestWriter):
    """Gemini, built on its first call rather than at start-up.

    google-genai and what it brings (its pydantic types, aiohttp, httpx, Pillow) take about
    25 MiB of a process and 0.5 s of CPU to import (docs/performance.md, Memory). For a process
    whose AI serves one route, the API's /ask, that is paid by the first question instead of
    by every idle process. The import runs in a thread, not on the event loop.
    """

    def __init__(self, settings: Settings, on_usage: UsageObserver | None = None) -> None:
        self._settings = settings
        self._on_usage = on_usage
        self._gemini: GeminiAI | None = None
        # What `open_gemini` opened (its HTTP session), closed with this object.
        self._opened = AsyncExitStack()
        self._lock = asyncio.Lock()

    @property
    def built(self) -> bool:
        return self._gemini is not None

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
    ) -> Extraction:
        return await read_stats(
            await self._built(), images, note, known_gamertags, with_lobby=with_lobby
        )

    async def write_debrief(self, facts: Mapping[str, Any]) -> DebriefText:
        return await (await self._built()).write_debrief(facts)

    async def plan(self, question: str, fields: Mapping[str, str]) -> PlannedQuery:
        return await (await self._built()).plan(question, fields)

    async def phrase(self, answer: AnswerRows) -> str:
        return await (await self._built()).phrase(answer)

    async def write_digest(self, facts: Mapping[str, Any]) -> str:
        return await (await self._built()).write_digest(facts)

    async def aclose(self) -> None:
        await self._opened.aclose()

    async def _built(self) -> GeminiAI:
        if self._gemini is None:
            async with self._lock:
                if self._gemini is None:
                    await asyncio.to_thread(importlib.import_module, "app.shared.gemini.factory")
                    self._gemini = await self._opened.enter_async_context(
                        _open_gemini(self._settings, self._on_usage)
                    )
        return self._gemini


def _open_gemini(
    settings: Settings, on_usage: UsageObserver | None
) -> AbstractAsyncContextManager[GeminiAI]:
    from app.shared.gemini import open_gemini

    return open_gemini(settings, on_usage=on_usage)


def cross_checked(
    primary: StatsReader,
    check: StatsReader | None,
    *,
    check_timeout_s: float = CHECK_TIMEOUT_S,
    grace_s: float = CHECK_GRACE_S,
) -> StatsReader:
    """`primary`, with `check` reading the same screenshots when there is a second reader.

    The primary's reading is saved; each field the check reads differently is flagged on the
    match (app/core/cross_check.py). A check that fails, takes more than `check_timeout_s`, or
    is not done `grace_s` after the primary is dropped: the player never waits longer for it.
    """
    if check is None:
        return primary
    return CrossCheckedReader(primary, check, check_timeout_s=check_timeout_s, grace_s=grace_s)


@asynccontextmanager
async def open_ai(
    settings: Settings,
    *,
    on_usage: UsageObserver | None = None,
    gemini_on_first_use: bool = False,
) -> AsyncIterator[AIDependencies]:
    """The AI of a process. ``on_usage`` hears every Gemini call's tokens (the API's
    Prometheus counters, the bot's); `gemini_on_first_use`: build Gemini on its first call
    (see `GeminiOnFirstUse`), for a process where only one route uses it."""
    # Screenshots are decoded in worker processes, started on the first one (see
    # image_workers): the API, which never prepares an image, starts none.
    images = IsolatedImagePreparer(image_preparer(settings), workers=settings.image_workers)
    try:
        async with (
            _ai_services(settings, on_usage, gemini_on_first_use) as services,
            _stats_reader(settings, services) as stats_reader,
            _check_reader(settings, stats_reader) as check_reader,
        ):
            writer = services if settings.gemini_writes else TemplatesOnly()
            yield AIDependencies(
                images=images,
                stats_reader=cross_checked(stats_reader, check_reader),
                debrief_writer=writer,
                planner=_ask_planner(settings, services),
                digest_writer=writer,
            )
    finally:
        await asyncio.to_thread(images.close)


def image_preparer(settings: Settings) -> PillowImagePreparer:
    """Screenshots prepared for what reads them: a PNG goes as uploaded to a Gemini model that
    bills an image by its media resolution, whatever its size (see app/shared/images.py)."""
    return PillowImagePreparer(png_as_uploaded=_gemini_reads_any_size(settings))


def _gemini_reads_any_size(settings: Settings) -> bool:
    if settings.gemini_api_key is None or reads_locally(settings):
        return False
    # A model Debrief does not know may bill by tiles: its images are prepared.
    model = lookup(settings.gemini_model)
    return model is not None and model.takes_media_resolution


def _ask_planner(settings: Settings, services: QueryPlanner) -> QueryPlanner | None:
    """/ask's AI: none without a key or when set to the local planner, so that questions the
    local planner cannot read are told which it can, not to retry what never works."""
    if settings.gemini_api_key is None or settings.ask_planner == "local":
        return None
    return services


@asynccontextmanager
async def _ai_services(
    settings: Settings, on_usage: UsageObserver | None, on_first_use: bool
) -> AsyncIterator[GeminiAI | GeminiOnFirstUse | UnconfiguredAI]:
    """Everything the AI does besides preparing images: Gemini, or an honest refusal."""
    if settings.gemini_api_key is None:
        logger.warning(
            "GEMINI_API_KEY is not set: debriefs use templates, "
            "/ask answers only the questions the local planner reads"
        )
        yield UnconfiguredAI()
        return
    if on_first_use:
        lazy = GeminiOnFirstUse(settings, on_usage)
        try:
            yield lazy
        finally:
            await lazy.aclose()
        return
    from app.shared.gemini import open_gemini

    async with open_gemini(settings, on_usage=on_usage) as gemini:
        yield gemini


def reads_locally(settings: Settings) -> bool:
    """Whether screenshots are read on this machine rather than by Gemini (AI_READER=local
    is refused by the settings when the `local-ai` extra is not installed)."""
    if settings.ai_reader != "auto":
        return settings.ai_reader == "local"
    if settings.gemini_api_key is not None:
        return False
    installed = local_reader_installed()
    if not installed:
        logger.warning(
            "no GEMINI_API_KEY and no on-device reader (pip install 'debrief[local-ai]'): "
            "screenshots can't be read"
        )
    return installed


@asynccontextmanager
async def _stats_reader(
    settings: Settings, services: GeminiAI | GeminiOnFirstUse | UnconfiguredAI
) -> AsyncIterator[StatsReader]:
    """Who reads screenshots; the local reader's workers stop with it."""
    if not reads_locally(settings):
        yield services
        return
    logger.info("screenshots are read on this machine (AI_READER=%s)", settings.ai_reader)
    async with _local_reader(settings) as reader:
        yield reader


def checks_locally(settings: Settings, primary: StatsReader) -> bool:
    """Whether the local reader checks the primary's readings: when Gemini reads (a key is
    set and the primary is not the local reader) and the `local-ai` extra is installed."""
    return (
        settings.reader_cross_check
        and settings.gemini_api_key is not None
        and not isinstance(primary, LocalStatsReader)
        and local_reader_installed()
    )


@asynccontextmanager
async def _check_reader(
    settings: Settings, primary: StatsReader
) -> AsyncIterator[StatsReader | None]:
    """A second reader for every screenshot: the development tools' (tests, the sandbox) when
    one is configured, otherwise the local reader while Gemini reads, otherwise none."""
    development = development_check_reader(settings)
    if development is not None or not checks_locally(settings, primary):
        yield development
        return
    logger.info("the on-device reader checks Gemini's readings (READER_CROSS_CHECK)")
    async with _local_reader(settings) as reader:
        yield reader


@asynccontextmanager
async def _local_reader(settings: Settings) -> AsyncIterator[LocalStatsReader]:
    """The on-device reader; its worker processes stop with it."""
    catalog = load_catalog(settings.catalog_path)
    reader = LocalStatsReader(workers=settings.local_reader_workers, catalog=catalog)
    try:
        yield reader
    finally:
        await asyncio.to_thread(reader.close)
