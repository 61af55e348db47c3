"""/debrief: from uploaded screenshots to a saved match."""

from __future__ import annotations

from app.core.ai import Extraction, ImagePreparer, StatsReader
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import AnalyzeScreenshots, RecordMatch
from app.core.game.catalog import Catalog
from app.core.handlers.cooldowns import match_cooldown
from app.core.handlers.matches import refuse_known, save_match
from app.core.matches import Match, MatchSource
from app.core.ports import CooldownRepository, GuildConfigRepository, MatchRepository
from app.core.screenshots import check_uploads


async def analyze_screenshots(
    cmd: AnalyzeScreenshots,
    *,
    emit: Emit,
    images: ImagePreparer,
    stats_reader: StatsReader,
    matches: MatchRepository,
    guild_configs: GuildConfigRepository,
    cooldowns: CooldownRepository,
    catalog: Catalog,
    clock: Clock,
) -> Match:
    checked = check_uploads(cmd.uploads, size_limit=cmd.size_limit)
    # In worker processes (CPU-bound): the event loop and its default executor stay free.
    prepared = [await images.prepare(u.data, mime) for u, mime in checked]
    hashes = tuple(image.source_sha256 for image in prepared)
    await refuse_known(cmd.interaction_id, cmd.user_id, hashes, matches)
    # Taken only once the upload is known to be new and valid: a typo costs no cooldown.
    async with match_cooldown(
        "debrief",
        cmd.guild_id,
        cmd.user_id,
        guild_configs=guild_configs,
        cooldowns=cooldowns,
        clock=clock,
    ):
        extraction = await stats_reader.read_stats(prepared, cmd.note)
        return await _save(cmd, extraction, hashes, emit, matches, catalog, clock)


async def _save(
    cmd: AnalyzeScreenshots,
    extraction: Extraction,
    hashes: tuple[str, ...],
    emit: Emit,
    matches: MatchRepository,
    catalog: Catalog,
    clock: Clock,
) -> Match:
    # Checked before the AI was paid for: saved without checking again.
    return await save_match(
        RecordMatch(
            guild_id=cmd.guild_id,
            channel_id=cmd.channel_id,
            user_id=cmd.user_id,
            interaction_id=cmd.interaction_id,
            raw_stats=extraction.raw_stats,
            source=MatchSource.AI,
            played_at=cmd.played_at,
            screenshot_hashes=hashes,
            note=cmd.note,
            reply=cmd.reply,
            second_reading=extraction.second_reading,
        ),
        emit=emit,
        matches=matches,
        catalog=catalog,
        clock=clock,
    )
