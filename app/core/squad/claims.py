"""Same-match detection made atomic: a claim per (server, member, mode, map, score).

The same-match check (`matching.find_same_match`) is a read, so two recordings of one match for
one member racing each other (two mates uploading it at once, or the member's own upload racing
a capture) would both find nothing and both save. Each recording first takes the claim of its
key with a compare-and-set: the claim's stored `played_at` is replaced only when it lies outside
the same-match window; within it, the claim's holder (another recording within the window)
wins and this one is the same match. The database's unique index on the key decides between
two recordings taking a new key at once.

A player's own uploads pass over each other's claims: two of their uploads with the same score
stay two matches, as before (decision 0008).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from app.core.game.modes import MatchStats, Mode
from app.core.matches import Match

if TYPE_CHECKING:  # the port names these types: imported for annotations only
    from app.core.ports import MatchRepository

# Longer than any recording takes between its claim and its match's insert: a claim this old
# whose holder saved no match was left by a process that died, and is taken over.
CLAIM_STALE: Final = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class ClaimKey:
    guild_id: int
    user_id: int
    mode: Mode
    map: str  # casefolded: the same map read in another case is the same map
    team_score: int
    enemy_score: int

    @classmethod
    def of(cls, guild_id: int, user_id: int, stats: MatchStats) -> ClaimKey:
        return cls(
            guild_id=guild_id,
            user_id=user_id,
            mode=stats.mode,
            map=stats.map.casefold(),
            team_score=stats.team_score,
            enemy_score=stats.enemy_score,
        )


@dataclass(frozen=True, slots=True)
class MatchClaim:
    key: ClaimKey
    played_at: datetime
    # The interaction the holder's match is (or will be) filed under.
    holder: int
    captured: bool
    claimed_at: datetime


@dataclass(frozen=True, slots=True)
class Claimed:
    """This recording holds the key: it saves its match."""


@dataclass(frozen=True, slots=True)
class HeldBy:
    """Another recording within the window saved this match already."""

    match: Match


@dataclass(frozen=True, slots=True)
class InFlight:
    """Another recording within the window holds the key and has not saved its match yet."""


ClaimResult = Claimed | HeldBy | InFlight


def holds_against(holding: MatchClaim, claim: MatchClaim, window: timedelta) -> bool:
    """Whether the key's claim `holding` refuses `claim`: it is a recording within the window,
    unless both are the player's own uploads."""
    both_own = not holding.captured and not claim.captured
    return not both_own and abs(holding.played_at - claim.played_at) <= window


async def claim_match(
    matches: MatchRepository, claim: MatchClaim, window: timedelta
) -> ClaimResult:
    """Take the key for `claim`, or say who holds it."""
    holder = await matches.take_claim(claim, window)
    # Our own claim: a replay of this recording (the unique indexes guard its insert).
    if holder is None or holder.holder == claim.holder:
        return Claimed()
    held = await matches.find_by_interaction(holder.holder)
    if held is not None:
        return HeldBy(held)
    if claim.claimed_at - holder.claimed_at < CLAIM_STALE:
        return InFlight()
    # Left by a process that died before saving: taken over, unless another recording did.
    if await matches.take_over_claim(claim, holder):
        return Claimed()
    return InFlight()


def claim_of(match: Match) -> MatchClaim:
    """The claim `match` holds, if it still does: to give it back when the match is removed."""
    return claim_for(
        match.stats,
        guild_id=match.guild_id,
        user_id=match.user_id,
        played_at=match.played_at,
        holder=match.interaction_id,
        captured=match.captured_from is not None,
        now=match.created_at,
    )


def claim_for(
    match_stats: MatchStats,
    *,
    guild_id: int,
    user_id: int,
    played_at: datetime,
    holder: int,
    captured: bool,
    now: datetime,
) -> MatchClaim:
    return MatchClaim(
        key=ClaimKey.of(guild_id, user_id, match_stats),
        played_at=played_at,
        holder=holder,
        captured=captured,
        claimed_at=now,
    )
