"""When two matches are the same match: by what the scoreboard says, not by the screenshot.

Two squad mates' screenshots of one match never share bytes (other consoles, other crops), so
a match is known by its mode, its map, its score as seen from the player's side, and its time:
within `SAME_MATCH_WINDOW` of each other (both are upload times, which trail the match by
however long each player took to post it).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Final

from app.core.errors import Conflict
from app.core.game.modes import MatchStats
from app.core.matches import Match, MatchFilter, MatchSource
from app.core.ports import MatchRepository
from app.core.squad import wording

# The default of the SAME_MATCH_WINDOW_MINUTES setting.
SAME_MATCH_WINDOW: Final = timedelta(hours=2)
# More matches of one mode than a player can play in the window, so none is missed.
_CANDIDATES: Final = 50


class AlreadyRecorded(Conflict):
    """The player's upload is a match already captured for them from a squad mate's upload."""

    def __init__(self, match: Match) -> None:
        self.existing_match_id = match.id
        uploader = match.captured_from.user_id if match.captured_from else match.user_id
        super().__init__(wording.already_recorded(match.id, uploader))


def same_match(a: MatchStats, b: MatchStats) -> bool:
    """Same mode, map and score, both as seen from the same player's side."""
    return (
        a.mode is b.mode
        and a.map.casefold() == b.map.casefold()
        and (a.team_score, a.enemy_score) == (b.team_score, b.enemy_score)
    )


async def find_same_match(
    matches: MatchRepository,
    *,
    guild_id: int,
    user_id: int,
    stats: MatchStats,
    played_at: datetime,
    window: timedelta,
    only_captured: bool = False,
) -> Match | None:
    """The member's match in this server that is `stats`' match, if they have one.

    One listing on the (server, player, mode, played_at) index, the map and score compared
    here: a few rows at most."""
    page = await matches.page(
        MatchFilter(
            guild_id=guild_id,
            user_id=user_id,
            mode=stats.mode,
            played_from=played_at - window,
            played_until=played_at + window,
        ),
        limit=_CANDIDATES,
    )
    return next(
        (
            match
            for match in page.matches
            if same_match(match.stats, stats)
            and (not only_captured or match.source is MatchSource.CAPTURED)
        ),
        None,
    )


def capture_interaction_id(origin_match_id: str, user_id: int) -> int:
    """The interaction a captured match is filed under: one per (upload, member), derived, so
    the unique interaction index refuses a second capture of one upload for one member, across
    replays and processes. Negative: never a Discord snowflake, which are positive."""
    digest = hashlib.sha256(f"capture:{origin_match_id}:{user_id}".encode()).digest()
    return -(int.from_bytes(digest[:7], "big") + 1)
