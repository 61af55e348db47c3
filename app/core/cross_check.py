"""Two readers of the same screenshots: one whose answer is used, one that checks it.

Both read at once. The primary's answer, or its error, is the answer; the checking reader only
adds its own reading (`Extraction.second_reading`), which `save_match` compares with the
primary's once both are validated, flagging each field they disagree on. A check that fails,
or is not done shortly after the primary, is dropped with one log line: the match is saved
without it, never failed or held up for it. The other players' rows (`Extraction.lobby`) are
the primary's alone: the check's are not compared, and not kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from app.core.ai import Extraction, PreparedImage, StatsReader, read_stats
from app.core.errors import DomainError
from app.core.game.catalog import Catalog, apply_catalog
from app.core.game.disagreements import ReaderFlag, disagreements
from app.core.game.errors import InvalidMatchStats
from app.core.game.modes import MatchStats
from app.core.game.validation import validate_extraction

logger = logging.getLogger(__name__)

# The check gets this long from the start, however long the primary takes...
CHECK_TIMEOUT_S = 30.0
# ...and at most this much longer than the primary: the player never waits longer for it.
CHECK_GRACE_S = 2.0


class CrossCheckedReader(StatsReader):
    def __init__(
        self,
        primary: StatsReader,
        check: StatsReader,
        *,
        check_timeout_s: float = CHECK_TIMEOUT_S,
        grace_s: float = CHECK_GRACE_S,
    ) -> None:
        self.primary = primary
        self.check = check
        self._check_timeout_s = check_timeout_s
        self._grace_s = grace_s

    async def warm_up(self) -> None:
        await asyncio.gather(self.primary.warm_up(), self.check.warm_up())

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
    ) -> Extraction:
        # The check compares the player's row only: it never reads the lobby.
        checking = asyncio.ensure_future(self._checked(images, note, known_gamertags))
        try:
            extraction = await read_stats(
                self.primary, images, note, known_gamertags, with_lobby=with_lobby
            )
            return replace(extraction, second_reading=await self._second_reading(checking))
        finally:
            # The primary failed, the check was too slow, or this read was cancelled: the
            # check has no use left. Not awaited: a reader slow to stop holds up nobody.
            if not checking.done():
                checking.cancel()
                checking.add_done_callback(_forget)

    async def _checked(
        self, images: Sequence[PreparedImage], note: str | None, known_gamertags: Sequence[str]
    ) -> Extraction:
        return await asyncio.wait_for(
            read_stats(self.check, images, note, known_gamertags), self._check_timeout_s
        )

    async def _second_reading(
        self, checking: asyncio.Future[Extraction]
    ) -> Mapping[str, Any] | None:
        done, _ = await asyncio.wait({checking}, timeout=self._grace_s)
        if not done:
            logger.warning(
                "the check reader was not done %.1f s after the primary; saved without the check",
                self._grace_s,
            )
            return None
        if checking.cancelled():  # by the reader itself: nobody here cancelled it
            logger.warning("the check reader was cancelled; saved without the check")
            return None
        error = checking.exception()
        if error is None:
            return checking.result().raw_stats
        _log_failed_check(error)
        return None


def _forget(checking: asyncio.Future[Extraction]) -> None:
    # Retrieved, so that asyncio does not log an abandoned check's error as never retrieved.
    if not checking.cancelled():
        checking.exception()


def _log_failed_check(error: BaseException) -> None:
    if isinstance(error, TimeoutError):
        logger.warning("the check reader timed out; saved without the check")
    elif isinstance(error, DomainError):
        # "Unreadable", "unavailable": an answer of the reader, not a fault of it.
        logger.info(
            "the check reader gave no reading (%s); saved without the check", type(error).__name__
        )
    else:
        logger.warning("the check reader failed; saved without the check", exc_info=error)


def reader_flags(
    used: MatchStats, second_reading: Mapping[str, Any] | None, catalog: Catalog
) -> list[ReaderFlag]:
    """Where the checking reader disagrees with the stats saved, both validated the same way.

    A second reading that does not validate is no reading to compare with: nothing flagged.
    """
    if second_reading is None:
        return []
    try:
        other, _ = apply_catalog(validate_extraction(second_reading), catalog)
    except InvalidMatchStats as error:
        logger.info(
            "the check reader's reading is invalid (%d problems); saved without the check",
            len(error.problems),
        )
        return []
    return disagreements(used, other)
