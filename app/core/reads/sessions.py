"""A player's play session: their latest run of matches with no gap longer than `gap` between
two of them, and its totals.

Read as one page of the player's newest matches of the last `LOOKBACK` (a range on the
player's own index, which bounds the scan on every server: SecantusDB does not push a `limit`
down, so the range is what keeps a veteran's session as cheap as a newcomer's), at most
`MAX_SESSION_MATCHES`, then split in Python. A session that runs past either bound shows its
newest matches and says it was cut short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.core.actors import Actor, ensure_member
from app.core.clock import Clock
from app.core.errors import DomainError
from app.core.game.metrics import kd_ratio
from app.core.game.rules import Result
from app.core.i18n import N_
from app.core.matches import Match, MatchFilter
from app.core.ports import MatchRepository

MAX_SESSION_MATCHES = 50
LOOKBACK = timedelta(days=7)
DEFAULT_GAP = timedelta(hours=2)
MIN_GAP, MAX_GAP = timedelta(minutes=30), timedelta(hours=12)


class InvalidGap(DomainError):
    user_message = N_("The gap between sessions must be between 30 minutes and 12 hours.")


@dataclass(frozen=True, slots=True)
class Session:
    user_id: int
    guild_id: int | None
    gap: timedelta
    matches: tuple[Match, ...]  # newest first
    # Whether the newest match is within `gap` of now: the session may still go on.
    ongoing: bool
    # More matches belong to the session than were read.
    cut_short: bool

    @property
    def started_at(self) -> datetime | None:
        return self.matches[-1].played_at if self.matches else None

    @property
    def ended_at(self) -> datetime | None:
        return self.matches[0].played_at if self.matches else None

    def count(self, result: Result) -> int:
        return sum(m.stats.result is result for m in self.matches)

    @property
    def kills(self) -> int:
        return sum(m.stats.player.kills for m in self.matches)

    @property
    def deaths(self) -> int:
        return sum(m.stats.player.deaths for m in self.matches)

    @property
    def assists(self) -> int:
        return sum(m.stats.player.assists for m in self.matches)

    @property
    def kd(self) -> float | None:
        """Pooled over the session, like every K/D; None without matches."""
        return kd_ratio(self.kills, self.deaths) if self.matches else None

    @property
    def best_match(self) -> Match | None:
        """The match with the best K/D, then the most kills, then the newest."""
        if not self.matches:
            return None
        return max(
            reversed(self.matches),
            key=lambda m: (
                kd_ratio(m.stats.player.kills, m.stats.player.deaths),
                m.stats.player.kills,
            ),
        )


def _strength(match: Match) -> tuple[float, int]:
    player = match.stats.player
    return kd_ratio(player.kills, player.deaths), player.kills


async def current_session(
    matches: MatchRepository,
    clock: Clock,
    actor: Actor,
    *,
    guild_id: int | None = None,
    gap: timedelta = DEFAULT_GAP,
) -> Session:
    """The actor's latest session, in one server or everywhere; their own, nobody else's."""
    if not MIN_GAP <= gap <= MAX_GAP:
        raise InvalidGap
    if guild_id is not None:
        ensure_member(actor, guild_id)
    now = clock()
    since = now - LOOKBACK
    where = MatchFilter(user_id=actor.user_id, guild_id=guild_id, played_from=since)
    page = await matches.page(where, limit=MAX_SESSION_MATCHES + 1)
    session, cut_short = split_session(page.matches, gap, since)
    ongoing = bool(session) and now - session[0].played_at <= gap
    return Session(actor.user_id, guild_id, gap, session, ongoing, cut_short)


def split_session(
    newest_first: Sequence[Match], gap: timedelta, since: datetime
) -> tuple[tuple[Match, ...], bool]:
    """The leading run with no gap over `gap`, at most MAX_SESSION_MATCHES; and whether it may
    go on past what was read (the cap, or a run that reaches back to `since`)."""
    run: list[Match] = []
    for match in newest_first:
        if run and run[-1].played_at - match.played_at > gap:
            return tuple(run), False
        if len(run) == MAX_SESSION_MATCHES:
            return tuple(run), True
        run.append(match)
    return tuple(run), bool(run) and run[-1].played_at - since <= gap
