"""/debrief: from uploaded screenshots to a saved match."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from app.core.ai import Extraction, ImagePreparer, PreparedImage, StatsReader, read_stats
from app.core.background import started
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import AnalyzeScreenshots, RecordMatch, Upload
from app.core.errors import Conflict, DuplicateMatch
from app.core.events import LobbyRead
from app.core.game.catalog import Catalog, apply_catalog
from app.core.game.validation import validate_extraction
from app.core.handlers.cooldowns import match_cooldown
from app.core.handlers.matches import refuse_known, save_match
from app.core.i18n import _
from app.core.matches import Match, MatchSource
from app.core.ports import (
    CooldownRepository,
    GamertagLinkRepository,
    GuildConfigRepository,
    MatchRepository,
)
from app.core.screenshots import check_uploads, upload_hashes
from app.core.squad import wording
from app.core.squad.claims import Claimed, HeldBy, MatchClaim, claim_for, claim_match
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
    hashes = await upload_hashes(cmd.uploads)
    # The worker processes prepare the screenshots (CPU-bound, tens of milliseconds) while the
    # database says whether they are new, whether the player may save a match now, and which
    # gamertags are theirs: the first of these used to wait for the hash of the preparation.
    async with started(_prepared(images, checked)) as preparing:
        await refuse_known(cmd.interaction_id, cmd.user_id, hashes, matches)
        # Given back if the screenshots turn out unreadable: a bad file costs no cooldown.
        async with match_cooldown(
            "debrief",
            cmd.guild_id,
            cmd.user_id,
            guild_configs=guild_configs,
            cooldowns=cooldowns,
            clock=clock,
        ):
            names = await _linked_names(gamertag_links, cmd.guild_id, cmd.user_id)
            # The other rows cost a paid reader output tokens: read only if they can capture.
            with_lobby = await gamertag_links.has_auto_record_besides(cmd.guild_id, cmd.user_id)
            extraction = await read_stats(
                stats_reader, await preparing, cmd.note, names, with_lobby=with_lobby
            )
            await _refuse_captured(cmd, extraction, matches, same_match_window)
            claim = await _claim(cmd, extraction, matches, catalog, clock, same_match_window)
            try:
                saved = await _save(cmd, extraction, hashes, names, emit, matches, catalog, clock)
            except DuplicateMatch:
                raise  # the interaction's match exists: the claim is that match's
            except Exception:
                await matches.release_claim(claim)
                raise
    if saved.capture_pending:
        # After MatchSaved: the squad's matches follow the uploader's, never undo it. The rows
        # were saved with the match: if this process dies first, the sweeper captures them.
        emit(LobbyRead(match=saved, lobby=tuple(saved.pending_lobby)))
    return saved


async def _prepared(
    images: ImagePreparer, checked: Sequence[tuple[Upload, str]]
) -> list[PreparedImage]:
    # In worker processes, side by side: the event loop and its default executor stay free.
    return list(await asyncio.gather(*(images.prepare(u.data, mime) for u, mime in checked)))


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


async def _claim(
    cmd: AnalyzeScreenshots,
    extraction: Extraction,
    matches: MatchRepository,
    catalog: Catalog,
    clock: Clock,
    window: timedelta,
) -> MatchClaim:
    """The match's claim for this player (`app/core/squad/claims.py`): the read above misses a
    capture of this match being recorded at this moment; the claim does not. A capture in
    flight is given a moment to save, so the player can be pointed at it."""
    stats, _ = apply_catalog(validate_extraction(extraction.raw_stats), catalog)
    for _attempt in range(_IN_FLIGHT_LOOKS):
        claim = claim_for(
            stats,
            guild_id=cmd.guild_id,
            user_id=cmd.user_id,
            played_at=cmd.played_at,
            holder=cmd.interaction_id,
            captured=False,
            now=clock(),
        )
        outcome = await claim_match(matches, claim, window)
        if isinstance(outcome, Claimed):
            return claim
        if isinstance(outcome, HeldBy):
            raise AlreadyRecorded(outcome.match)
        await asyncio.sleep(_IN_FLIGHT_PAUSE_S)
    raise BeingRecorded


class BeingRecorded(Conflict):
    """A capture of this match for the player holds its claim and has not saved yet."""

    def __init__(self) -> None:
        super().__init__(_(wording.BEING_RECORDED))


# A capture saves within milliseconds of its claim; a few looks over two seconds are plenty.
_IN_FLIGHT_LOOKS = 8
_IN_FLIGHT_PAUSE_S = 0.25


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
