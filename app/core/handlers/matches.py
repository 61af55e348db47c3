"""Handlers that save, correct and delete matches."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from app.core.actors import ensure_owner_or_admin
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import CorrectMatch, DeleteMatch, RecordMatch
from app.core.cross_check import reader_flags
from app.core.errors import DuplicateMatch, NotFound
from app.core.events import MatchCorrected, MatchDeleted, MatchSaved
from app.core.game.catalog import Catalog, apply_catalog
from app.core.game.disagreements import open_after_review
from app.core.game.lobby import storable_rows
from app.core.game.validation import validate_extraction
from app.core.handlers.cooldowns import match_cooldown
from app.core.i18n import _
from app.core.links import row_found_by
from app.core.matches import Match, MatchFields
from app.core.ports import (
    CooldownRepository,
    DebriefRepository,
    GuildConfigRepository,
    MatchRepository,
)
from app.core.squad.claims import claim_of


async def record_match(
    cmd: RecordMatch,
    *,
    emit: Emit,
    matches: MatchRepository,
    catalog: Catalog,
    guild_configs: GuildConfigRepository,
    cooldowns: CooldownRepository,
    clock: Clock,
) -> Match:
    await refuse_known(cmd.interaction_id, cmd.user_id, cmd.screenshot_hashes, matches)
    async with match_cooldown(
        "log",
        cmd.guild_id,
        cmd.user_id,
        guild_configs=guild_configs,
        cooldowns=cooldowns,
        clock=clock,
    ):
        return await save_match(cmd, emit=emit, matches=matches, catalog=catalog, clock=clock)


async def save_match(
    cmd: RecordMatch, *, emit: Emit, matches: MatchRepository, catalog: Catalog, clock: Clock
) -> Match:
    """Validate and save a match the caller has already checked with `refuse_known`.

    Shared by /log (`record_match`) and /debrief (`analyze_screenshots`, which checks before
    paying for the AI), so each runs the check once; the unique indexes decide under a race.
    The match's day rollups are settled by its debrief (`write_debrief`), alongside the reads
    for it: not one after the other on the way to the reply.
    """
    stats, flags = apply_catalog(validate_extraction(cmd.raw_stats), catalog)
    pending_lobby = storable_rows(stats, cmd.lobby)
    now = clock()
    saved = await matches.add(
        MatchFields(
            guild_id=cmd.guild_id,
            channel_id=cmd.channel_id,
            user_id=cmd.user_id,
            interaction_id=cmd.interaction_id,
            stats=stats,
            source=cmd.source,
            screenshot_hashes=list(cmd.screenshot_hashes),
            catalog_flags=flags,
            reader_flags=reader_flags(stats, cmd.second_reading, catalog),
            note=cmd.note,
            row_found_by=row_found_by(stats.player.gamertag, cmd.known_gamertags),
            played_at=cmd.played_at,
            created_at=now,
            updated_at=now,
            capture_pending=bool(pending_lobby),
            pending_lobby=pending_lobby,
        ),
        settle=False,
    )
    emit(MatchSaved(match=saved, reply=cmd.reply))
    return saved


async def refuse_known(
    interaction_id: int, user_id: int, hashes: Sequence[str], matches: MatchRepository
) -> None:
    """A replayed interaction or a re-uploaded screenshot names the match it already made.

    Checked up front for a friendly answer; the unique indexes still decide under a race.
    Both lookups at once (the first almost never finds anything): one wait, not two, before
    the AI is paid for.
    """
    by_interaction, by_screenshot = await asyncio.gather(
        matches.find_by_interaction(interaction_id),
        matches.find_by_screenshots(user_id, hashes),
    )
    known = by_interaction or by_screenshot
    if known is not None:
        raise DuplicateMatch(known.id)


async def correct_match(
    cmd: CorrectMatch, *, emit: Emit, matches: MatchRepository, catalog: Catalog, clock: Clock
) -> Match:
    match = await _owned_match(cmd.match_id, matches, cmd)
    stats, flags = apply_catalog(validate_extraction(cmd.raw_stats), catalog)
    still_open = open_after_review(match.reader_flags, cmd.reviewed)
    corrected = await matches.correct(match.id, stats, flags, clock(), reader_flags=still_open)
    if corrected is None:
        raise NotFound
    emit(MatchCorrected(match=corrected))
    return corrected


async def delete_match(cmd: DeleteMatch, *, emit: Emit, matches: MatchRepository) -> None:
    match = await _owned_match(cmd.match_id, matches, cmd)
    if await matches.delete(match.id):
        # Its same-match claim goes too (`app/core/squad/claims.py`), if it still holds one.
        await matches.release_claim(claim_of(match))
        emit(MatchDeleted(match_id=match.id, guild_id=match.guild_id, user_id=match.user_id))


async def delete_debrief_of_deleted_match(
    event: MatchDeleted, *, emit: Emit, debriefs: DebriefRepository
) -> None:
    await debriefs.delete_for_match(event.match_id)


async def _owned_match(
    match_id: str, matches: MatchRepository, cmd: CorrectMatch | DeleteMatch
) -> Match:
    match = await matches.get(match_id)
    if match is None:
        raise NotFound(_("No match with that id."))
    ensure_owner_or_admin(cmd.actor, owner_id=match.user_id, guild_id=match.guild_id)
    return match
