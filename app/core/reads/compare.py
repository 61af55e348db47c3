"""Two squadmates side by side: their numbers in one server, and one stat's trend for each.

Only within a server the actor belongs to, and only that server's matches: a comparison never
shows what either player did anywhere else. The other player must have played there; to the
actor, a player with no matches in the server is simply not found (Discord checks membership
when the bot is asked; the API cannot, and does not need to: it shows nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.core.actors import Actor, ensure_member
from app.core.analytics import PlayerSummary
from app.core.debriefing.formatting import format_stat
from app.core.debriefing.stat_scope import mode_for
from app.core.errors import DomainError, NotFound
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.i18n import N_, _
from app.core.ports import AnalyticsRepository
from app.core.reads.stats import Trend, trend


class NotInThisServer(NotFound):
    user_message = N_("That player has no matches in this server.")


class CompareWithYourself(DomainError):
    user_message = N_("Pick a squadmate to compare with, not yourself.")


@dataclass(frozen=True, slots=True)
class Side:
    """One player's column: their numbers in the server (and mode), and the stat's trend."""

    numbers: PlayerSummary
    trend: Trend

    @property
    def user_id(self) -> int:
        return self.trend.user_id

    @property
    def stat_average(self) -> float | None:
        """The mean of the charted values: the matches the chart shows, match by match."""
        values = [point.value for point in self.trend.points]
        return sum(values) / len(values) if values else None

    @property
    def stat_best(self) -> float | None:
        return next((b.value for b in self.numbers.bests if b.stat is self.trend.stat), None)


@dataclass(frozen=True, slots=True)
class Comparison:
    guild_id: int
    stat: Stat
    mode: Mode | None
    last: int
    you: Side
    them: Side


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One line of the side-by-side table, as both adapters show it."""

    label: str
    you: str
    them: str
    # Who is ahead on this line; None on a tie or when either has no value.
    leader: Literal["you", "them"] | None


def table(comparison: Comparison) -> tuple[CompareRow, ...]:
    """Matches, win rate, K/D, the stat's average over the charted matches, and its best."""
    you, them, stat = comparison.you, comparison.them, comparison.stat
    charted = max(len(you.trend.points), len(them.trend.points))
    return (
        _row(_("Matches"), None, you.numbers.matches, them.numbers.matches),
        _row(_("Win rate"), None, you.numbers.win_rate, them.numbers.win_rate, percent=True),
        _row("K/D", Stat.KD, you.numbers.kd, them.numbers.kd),
        _row(
            _("{stat}, last {count}", stat=_(stat.label), count=charted),
            stat,
            you.stat_average,
            them.stat_average,
        ),
        _row(_("Best {stat}", stat=_(stat.label)), stat, you.stat_best, them.stat_best),
    )


def _row(
    label: str,
    stat: Stat | None,
    you: float | None,
    them: float | None,
    *,
    percent: bool = False,
) -> CompareRow:
    def shown(value: float | None) -> str:
        if value is None:
            return "—"
        if stat is not None:
            return format_stat(stat, value)
        return f"{value * 100:.0f}%" if percent else f"{value:,.0f}"

    leader: Literal["you", "them"] | None = None
    if you is not None and them is not None and you != them:
        higher_wins = stat is None or stat.higher_is_better
        leader = "you" if (you > them) == higher_wins else "them"
    return CompareRow(label, shown(you), shown(them), leader)


async def compare(
    analytics: AnalyticsRepository,
    actor: Actor,
    guild_id: int,
    other_user_id: int,
    stat: Stat = Stat.KD,
    *,
    mode: Mode | None = None,
    last: int = 20,
) -> Comparison:
    """The actor and a squadmate in one server; refused outside a server the actor is in."""
    ensure_member(actor, guild_id)
    if other_user_id == actor.user_id:
        raise CompareWithYourself
    scope = mode_for(stat, mode)
    them = await _side(analytics, actor, other_user_id, guild_id, stat, scope, last)
    if them.numbers.matches == 0:
        raise NotInThisServer
    you = await _side(analytics, actor, actor.user_id, guild_id, stat, scope, last)
    return Comparison(guild_id=guild_id, stat=stat, mode=scope, last=last, you=you, them=them)


async def _side(
    analytics: AnalyticsRepository,
    actor: Actor,
    user_id: int,
    guild_id: int,
    stat: Stat,
    mode: Mode | None,
    last: int,
) -> Side:
    numbers = await analytics.summary(user_id, guild_id=guild_id, mode=mode, since=None)
    series = await trend(
        analytics, actor, stat, last=last, user_id=user_id, guild_id=guild_id, mode=mode
    )
    return Side(numbers=numbers, trend=series)
