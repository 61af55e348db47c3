"""Whole-squad capture: the uploader's scoreboard records the match for opted-in squad mates.

    LobbyRead ─▶ capture_squad_mates ─▶ per mate: MatchSaved (debrief, rollups), MatchCaptured
    MatchCaptured ─▶ tell_captured_member ─▶ outbox entry, sent at once, or retried
    ReplayCaptureNotice (outbox consumer) ─▶ replay_capture_notice
    FinishPendingCaptures (the sweeper) ─▶ capture_squad_mates for each upload left pending
    DisownCapturedMatch ("Not me") ─▶ the captured match deleted ─▶ MatchDeleted

It runs after the uploader's match is saved, as an event, so a failure here is logged and never
takes back the uploader's match (`app/core/bus.py`). The upload was saved marked
`capture_pending`, with its valid rows, in one insert; the marker is cleared once every mate's
capture is done, so captures a dying process never made are made by the sweeper, and made once
(the same-match check and the unique (captured_from.match_id, user_id) index).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from app.core.actors import Actor
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import DisownCapturedMatch, FinishPendingCaptures, ReplayCaptureNotice
from app.core.errors import DomainError, DuplicateMatch, Forbidden, NotFound
from app.core.events import LobbyRead, MatchCaptured, MatchDeleted, MatchSaved
from app.core.game.catalog import Catalog, apply_catalog
from app.core.game.lobby import LobbyRow, lobby_rows
from app.core.handlers.deliveries import send_now
from app.core.i18n import _
from app.core.links import GamertagLink, RowFoundBy, normalise_gamertag
from app.core.matches import CapturedFrom, Match, MatchFields, MatchSource
from app.core.ports import (
    CaptureNotifier,
    DebriefRepository,
    GamertagLinkRepository,
    MatchRepository,
    OutboxRepository,
)
from app.core.squad import wording
from app.core.squad.claims import HeldBy, InFlight, claim_for, claim_match, claim_of
from app.core.squad.matching import capture_interaction_id, find_same_match
from app.core.squad.notices import CaptureNotice
from app.core.squad.sweeping import CAPTURE_GRACE, GIVE_UP_AFTER, SWEEP_BATCH

logger = logging.getLogger(__name__)


async def capture_squad_mates(
    event: LobbyRead,
    *,
    emit: Emit,
    matches: MatchRepository,
    gamertag_links: GamertagLinkRepository,
    debriefs: DebriefRepository,
    catalog: Catalog,
    clock: Clock,
    same_match_window: timedelta,
) -> None:
    """Record the match for each opted-in mate on the board who has no such match yet; once
    every one is done, the upload is no longer pending."""
    origin = event.match
    done = await _capture_all(
        origin,
        event.lobby,
        emit,
        matches,
        gamertag_links,
        debriefs,
        catalog,
        clock,
        same_match_window,
    )
    if done:
        await matches.finish_capture(origin.id)


async def finish_pending_captures(
    cmd: FinishPendingCaptures,
    *,
    emit: Emit,
    matches: MatchRepository,
    gamertag_links: GamertagLinkRepository,
    debriefs: DebriefRepository,
    catalog: Catalog,
    clock: Clock,
    same_match_window: timedelta,
) -> int:
    """Capture for the uploads still pending after the grace period; how many were taken.

    An upload whose captures keep failing is let go after `GIVE_UP_AFTER`, with a log line:
    the marker's index stays small, and the uploader's own match is untouched either way."""
    now = clock()
    pending = await matches.pending_captures(now - CAPTURE_GRACE, limit=SWEEP_BATCH)
    for origin in pending:
        try:
            done = await _capture_all(
                origin,
                tuple(origin.pending_lobby),
                emit,
                matches,
                gamertag_links,
                debriefs,
                catalog,
                clock,
                same_match_window,
            )
        except Exception:
            logger.exception("finishing the captures of match %s failed", origin.id)
            done = False
        if not done and origin.created_at < now - GIVE_UP_AFTER:
            logger.warning("captures of match %s given up after %s", origin.id, GIVE_UP_AFTER)
            done = True
        if done:
            await matches.finish_capture(origin.id)
    return len(pending)


async def _capture_all(
    origin: Match,
    lobby: tuple[object, ...],
    emit: Emit,
    matches: MatchRepository,
    gamertag_links: GamertagLinkRepository,
    debriefs: DebriefRepository,
    catalog: Catalog,
    clock: Clock,
    window: timedelta,
) -> bool:
    """Capture for each opted-in mate on the board; whether every one of them is done."""
    done = True
    for row, link in await _opted_in_mates(origin, lobby, gamertag_links):
        try:
            captured = await _capture(origin, row, link, matches, catalog, clock, window)
        except CaptureDeferred:
            logger.info("capture of match %s for a mate deferred: another is recording", origin.id)
            done = False
            continue
        except Exception:
            # One mate's failure is logged and costs the others nothing; the sweeper retries.
            logger.exception("capturing match %s for a squad mate failed", origin.id)
            done = False
            continue
        if captured is None:
            continue
        if captured.new:
            emit_captured(emit, captured.match, origin, row.gamertag)
        else:
            await _follow_up(captured.match, origin, row.gamertag, emit, debriefs)
    return done


@dataclass(frozen=True, slots=True)
class Captured:
    match: Match
    # False: saved by an earlier run for this upload, which may have died before its events.
    new: bool = True


async def _follow_up(
    captured: Match, origin: Match, gamertag: str, emit: Emit, debriefs: DebriefRepository
) -> None:
    """What a capture cut off by a crash may lack: its notice (the outbox never sends one
    twice) and its debrief (written only if missing: a Gemini call is not paid twice)."""
    if await debriefs.get_for_match(captured.id) is None:
        emit(MatchSaved(match=captured))
    emit(MatchCaptured(match=captured, origin=origin, gamertag=gamertag))


def emit_captured(emit: Emit, captured: Match, origin: Match, gamertag: str) -> None:
    # MatchSaved: the captured match gets its debrief, records and announcements as any other.
    emit(MatchSaved(match=captured))
    emit(MatchCaptured(match=captured, origin=origin, gamertag=gamertag))


async def _opted_in_mates(
    origin: Match, lobby: tuple[object, ...], links: GamertagLinkRepository
) -> list[tuple[LobbyRow, GamertagLink]]:
    """Each valid row whose name another member of the server linked with auto_record on;
    one row per member (a member with two names on one board played once)."""
    rows = lobby_rows(origin.stats, lobby)
    keys = [normalise_gamertag(row.gamertag) for row in rows]
    owners = {link.key: link for link in await links.owners_of(origin.guild_id, keys)}
    found: list[tuple[LobbyRow, GamertagLink]] = []
    members = {origin.user_id}
    for row, key in zip(rows, keys, strict=True):
        link = owners.get(key)
        if link is None or not link.auto_record or link.user_id in members:
            continue
        members.add(link.user_id)
        found.append((row, link))
    return found


async def _capture(
    origin: Match,
    row: LobbyRow,
    link: GamertagLink,
    matches: MatchRepository,
    catalog: Catalog,
    clock: Clock,
    window: timedelta,
) -> Captured | None:
    """The mate's match from this upload; None when they have this match from elsewhere
    (their own upload, another mate's)."""
    known = await find_same_match(
        matches,
        guild_id=origin.guild_id,
        user_id=link.user_id,
        stats=row.stats,
        played_at=origin.played_at,
        window=window,
    )
    if known is not None:
        if known.captured_from is not None and known.captured_from.match_id == origin.id:
            return Captured(known, new=False)  # this very capture, saved before a crash
        return None
    stats, flags = apply_catalog(row.stats, catalog)
    now = clock()
    interaction_id = capture_interaction_id(origin.id, link.user_id)
    claim = claim_for(
        stats,
        guild_id=origin.guild_id,
        user_id=link.user_id,
        played_at=origin.played_at,
        holder=interaction_id,
        captured=True,
        now=now,
    )
    # The check above reads; the claim decides between recordings racing it.
    outcome = await claim_match(matches, claim, window)
    if isinstance(outcome, HeldBy):
        return None
    if isinstance(outcome, InFlight):
        raise CaptureDeferred
    try:
        added = await matches.add(
            MatchFields(
                guild_id=origin.guild_id,
                channel_id=origin.channel_id,
                user_id=link.user_id,
                interaction_id=interaction_id,
                stats=stats,
                source=MatchSource.CAPTURED,
                catalog_flags=flags,
                row_found_by=RowFoundBy.LINKED_NAME,
                played_at=origin.played_at,
                created_at=now,
                updated_at=now,
                captured_from=CapturedFrom(match_id=origin.id, user_id=origin.user_id),
            )
        )
    except DuplicateMatch:
        return None  # a replay raced this one: that capture stands, and holds the claim
    except Exception:
        await matches.release_claim(claim)
        raise
    return Captured(added)


class CaptureDeferred(Exception):
    """Another recording of this match for the mate holds its claim and has not saved yet:
    the upload stays pending, and the sweeper looks again once that recording is done."""


async def tell_captured_member(
    event: MatchCaptured,
    *,
    emit: Emit,
    outbox: OutboxRepository,
    capture_notifier: CaptureNotifier,
    clock: Clock,
) -> None:
    """Queue the notice, leased to this process, and send it now."""
    notice = CaptureNotice(
        guild_id=event.match.guild_id,
        channel_id=event.origin.channel_id,
        user_id=event.match.user_id,
        uploader_id=event.origin.user_id,
        match_id=event.match.id,
        gamertag=event.gamertag,
    )
    message = await outbox.enqueue(notice.outbox_message(clock()))

    async def send() -> None:
        await capture_notifier.tell_captured(notice, event.match)

    await send_now(message, send, outbox=outbox, clock=clock)


async def replay_capture_notice(
    cmd: ReplayCaptureNotice,
    *,
    emit: Emit,
    matches: MatchRepository,
    capture_notifier: CaptureNotifier,
) -> None:
    """A notice the outbox consumer claimed. A match removed since needs no notice."""
    match = await matches.get(cmd.notice.match_id)
    if match is None:
        return
    await capture_notifier.tell_captured(cmd.notice, match)


async def disown_captured_match(
    cmd: DisownCapturedMatch, *, emit: Emit, matches: MatchRepository
) -> Match:
    """ "Not me": delete a match captured for the actor. Its rollups follow the delete
    (`MatchRepository.delete`), its debrief the event. The link and its opt-in stay: the
    answer says how to turn capture off (docs/decisions/0008-whole-squad-capture.md)."""
    match = await matches.get(cmd.match_id)
    if match is None:
        raise NotFound(_(wording.NO_SUCH_MATCH))
    _ensure_disownable(match, cmd.actor)
    if await matches.delete(match.id):
        # Its claim goes too: the same match is no longer recorded for the member.
        await matches.release_claim(claim_of(match))
        emit(MatchDeleted(match_id=match.id, guild_id=match.guild_id, user_id=match.user_id))
    return match


def _ensure_disownable(match: Match, actor: Actor) -> None:
    if match.source is not MatchSource.CAPTURED:
        raise DomainError(_(wording.NOT_CAPTURED))
    if match.user_id != actor.user_id:
        raise Forbidden(_(wording.NOT_YOURS))
