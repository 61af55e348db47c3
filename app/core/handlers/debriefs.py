"""Writing a match's debrief: the numbers first, then the AI's words, or a template's."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from app.core.ai import DebriefText, DebriefWriter
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.debriefing.comparison import Comparison, compare_match
from app.core.debriefing.records import records_of
from app.core.debriefing.template import template_debrief
from app.core.debriefs import Debrief, DebriefFields, DebriefSource, Record
from app.core.errors import AIUnavailable
from app.core.events import DebriefWritten, MatchCorrected, MatchSaved
from app.core.matches import Match, MatchFilter
from app.core.ports import AnalyticsRepository, DebriefRepository, MatchRepository

logger = logging.getLogger(__name__)

# How many earlier matches of the same mode the debrief compares against.
HISTORY = 10


async def write_debrief(
    event: MatchSaved | MatchCorrected,
    *,
    emit: Emit,
    matches: MatchRepository,
    debriefs: DebriefRepository,
    analytics: AnalyticsRepository,
    debrief_writer: DebriefWriter,
    clock: Clock,
) -> None:
    debrief = await debrief_match(
        event.match,
        matches=matches,
        debriefs=debriefs,
        analytics=analytics,
        debrief_writer=debrief_writer,
        clock=clock,
    )
    reply = event.reply if isinstance(event, MatchSaved) else None
    emit(DebriefWritten(match=event.match, debrief=debrief, reply=reply))


async def debrief_match(
    match: Match,
    *,
    matches: MatchRepository,
    debriefs: DebriefRepository,
    analytics: AnalyticsRepository,
    debrief_writer: DebriefWriter,
    clock: Clock,
) -> Debrief:
    """Compare the match with the player's history, put it into words, and save that."""
    # The match's rollups (left to settle by `save_match`; read from the matches until they
    # are, and nothing here reads them) are written alongside the reads and the AI's writing,
    # not on the way from the reading's answer to the debrief's request.
    settling = asyncio.ensure_future(matches.settle(match.id))
    try:
        # Independent reads, side by side: each is a round trip on that way.
        comparison, totals_here = await asyncio.gather(
            compare_with_history(match, matches, analytics),
            analytics.career_totals(match.user_id, match.guild_id),
        )
        records = records_of(match, comparison, totals_here)
        text, source = await narrate(match, comparison, records, debrief_writer)
    finally:
        # Done long before the AI's answer; awaited so no write outlives its debrief.
        await settling
    return await debriefs.save(
        DebriefFields(
            match_id=match.id,
            guild_id=match.guild_id,
            user_id=match.user_id,
            headline=text.headline,
            strengths=list(text.strengths),
            to_work_on=list(text.to_work_on),
            comparison=comparison.summary,
            records=list(records),
            source=source,
            model=text.usage.model,
            prompt_tokens=text.usage.prompt_tokens,
            output_tokens=text.usage.output_tokens,
            created_at=clock(),
        )
    )


async def compare_with_history(
    match: Match, matches: MatchRepository, analytics: AnalyticsRepository
) -> Comparison:
    earlier, bests = await asyncio.gather(
        matches.page(
            MatchFilter(user_id=match.user_id, mode=match.stats.mode, played_until=match.played_at),
            limit=HISTORY,
        ),
        analytics.personal_bests(match.user_id, match.stats.mode, excluding_match_id=match.id),
    )
    return compare_match(match, earlier.matches, bests)


async def narrate(
    match: Match, comparison: Comparison, records: Sequence[Record], writer: DebriefWriter
) -> tuple[DebriefText, DebriefSource]:
    """The AI's debrief; the template's when the AI fails, so no match goes without one."""
    facts = {**comparison.facts(), "records": [record.text for record in records]}
    try:
        return await writer.write_debrief(facts), DebriefSource.AI
    except AIUnavailable:
        logger.info(
            "debrief of match %s written from the template: the AI is unavailable", match.id
        )
        return template_debrief(match, comparison), DebriefSource.TEMPLATE
