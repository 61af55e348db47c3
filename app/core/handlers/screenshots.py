"""/debrief: from uploaded screenshots to a saved match."""

from __future__ import annotations

from datetime import timedelta

from app.core.ai import Extraction, ImagePreparer, StatsReader, read_stats
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import AnalyzeScreenshots, RecordMatch
from app.core.events import LobbyRead
from app.core.game.catalog import Catalog
from app.core.game.validation import validate_extraction
from app.core.handlers.cooldowns import match_cooldown
from app.core.handlers.matches import refuse_known, save_match
from app.core.matches import Match, MatchSource
from app.core.ports import (
    CooldownRepository,
    GamertagLinkRepository,
    GuildConfigRepository,
    MatchRepository,
)
from app.core.screenshots import check_uploads
from app.core.squad.matching import AlreadyRecorded, find_same_match


async def analyze_screenshots(
    cmd: AnalyzeScreenshots,
    *,
    emit: Emit,
    images: ImagePreparer,
    stats_reader: StatsReader,
    matches: MatchRepository,
    guild_configs: GuildConfigRepository,
    cooldowns: CooldownRepository,
    gamertag_links: GamertagLinkRepository,
    catalog: Catalog,
    clock: Clock,
    same_match_window: timedelta,
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
        names = await _linked_names(gamertag_links, cmd.guild_id, cmd.user_id)
        extraction = await read_stats(stats_reader, prepared, cmd.note, names)
        await _refuse_captured(cmd, extraction, matches, same_match_window)
        saved = await _save(cmd, extraction, hashes, names, emit, matches, catalog, clock)
    if saved.capture_pending:
        # After MatchSaved: the squad's matches follow the uploader's, never undo it. The rows
        # were saved with the match: if this process dies first, the sweeper captures them.
        emit(LobbyRead(match=saved, lobby=tuple(saved.pending_lobby)))
    return saved


async def _refuse_captured(
    cmd: AnalyzeScreenshots, extraction: Extraction, matches: MatchRepository, window: timedelta
) -> None:
    """A match a squad mate's upload already recorded for this player is not saved twice:
    they are pointed at it (AlreadyRecorded) instead."""
    known = await find_same_match(
        matches,
        guild_id=cmd.guild_id,
        user_id=cmd.user_id,
        stats=validate_extraction(extraction.raw_stats),
        played_at=cmd.played_at,
        window=window,
        only_captured=True,
    )
    if known is not None:
        raise AlreadyRecorded(known)


async def _linked_names(
    gamertag_links: GamertagLinkRepository, guild_id: int, user_id: int
) -> tuple[str, ...]:
    return tuple(link.gamertag for link in await gamertag_links.of_member(guild_id, user_id))


async def _save(
    cmd: AnalyzeScreenshots,
    extraction: Extraction,
    hashes: tuple[str, ...],
    names: tuple[str, ...],
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
            known_gamertags=names,
            lobby=extraction.lobby,
        ),
        emit=emit,
        matches=matches,
        catalog=catalog,
        clock=clock,
    )
