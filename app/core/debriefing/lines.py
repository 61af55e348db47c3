"""What a template debrief can say about a match: each line with its topic and weight.

Weights rank the lines of one side: a personal best (200) outranks a change against the
player's average (50 and up), which outranks an observation of this match alone (under 50).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.debriefing.comparison import Comparison, StatComparison
from app.core.debriefing.formatting import format_stat, in_sentence, join_words, versus
from app.core.game.metrics import Stat
from app.core.game.modes import HardpointStats, OverloadStats, SearchAndDestroyStats
from app.core.game.rules import Result
from app.core.i18n import _
from app.core.matches import Match
from app.core.wording import counted

_BEST = 200
_KD_BONUS = 25
_BESTS_LISTED = 3


@dataclass(frozen=True, slots=True)
class Line:
    # Lines on the same topic say the same thing twice; only the most telling one is kept.
    topic: str
    priority: float
    text: str


class Phrasing:
    """Picks one wording per kind of line, stable for a match and varied across matches."""

    def __init__(self, match_id: str) -> None:
        self._seed = match_id

    def pick(self, kind: str, options: Sequence[str]) -> str:
        return options[zlib.crc32(f"{self._seed}:{kind}".encode()) % len(options)]


def strength_lines(match: Match, comparison: Comparison, say: Phrasing) -> list[Line]:
    """Everything that went well: bests, rises over the average, streaks, good numbers."""
    lines = [_above_average_line(c, say) for c in comparison.gains]
    if comparison.win_streak >= 2:
        text = _("{count} wins in a row.", count=comparison.win_streak)
        lines.append(Line("result", 60, text))
    elif match.stats.result is Result.WIN:
        score = versus(match.stats.team_score, match.stats.enemy_score)
        # The headline already says it: only worth repeating when little else stood out.
        lines.append(
            Line("result", 12, _("Won {score} on {map}.", score=score, map=match.stats.map))
        )
    lines += _absolute_strengths(match, comparison, say)
    return _with_bests(match, comparison, lines, say)


def _with_bests(
    match: Match, comparison: Comparison, lines: list[Line], say: Phrasing
) -> list[Line]:
    """Personal bests first; several share one line, and push out what else they cover."""
    bests = comparison.new_bests
    if len(bests) == 1:
        return [_best_line(match, bests[0], comparison.values[bests[0]], say), *lines]
    if not bests:
        return lines
    covered = {stat.value for stat in bests}
    parts = [_best_part(stat, comparison.values[stat]) for stat in bests[:_BESTS_LISTED]]
    if len(bests) > _BESTS_LISTED:
        parts.append(_("{count} more", count=len(bests) - _BESTS_LISTED))
    best = Line("bests", _BEST, _("New personal bests: {bests}.", bests=join_words(parts)))
    return [best, *(line for line in lines if line.topic not in covered)]


def _best_part(stat: Stat, value: float) -> str:
    shown = format_stat(stat, value)
    if stat is Stat.DEATHS:
        return _("fewest deaths ({value})", value=shown)
    return _("{stat} {value}", stat=in_sentence(stat), value=shown)


def _best_line(match: Match, stat: Stat, value: float, say: Phrasing) -> Line:
    shown, mode = format_stat(stat, value), _(match.stats.mode.display_name)
    if stat is Stat.DEATHS:
        text = _(
            "Only {deaths} — your fewest in {mode} yet.",
            deaths=counted(round(value), "death"),
            mode=mode,
        )
    else:
        text = say.pick(
            f"best:{stat}",
            [
                _("New personal best {stat}: {value}.", stat=in_sentence(stat), value=shown),
                _(
                    "{stat} {value} — your best {mode} match yet.",
                    stat=_(stat.label),
                    value=shown,
                    mode=mode,
                ),
            ],
        )
    return Line(stat.value, _BEST, text)


def _above_average_line(c: StatComparison, say: Phrasing) -> Line:
    pct = round(abs(c.delta_pct or 0))
    value, average = format_stat(c.stat, c.value), format_stat(c.stat, c.average)
    if c.stat is Stat.DEATHS:
        text = _(
            "Only {deaths}, {pct}% fewer than your average of {average}.",
            deaths=counted(round(c.value), "death"),
            pct=pct,
            average=average,
        )
    else:
        text = say.pick(
            f"up:{c.stat}",
            [
                _(
                    "{stat} {value}, {pct}% above your average of {average}.",
                    stat=_(c.stat.label),
                    value=value,
                    pct=pct,
                    average=average,
                ),
                _(
                    "{stat} up {pct}% on your average: {value} against {average}.",
                    stat=_(c.stat.label),
                    value=value,
                    pct=pct,
                    average=average,
                ),
            ],
        )
    return Line(c.stat.value, _against_average(c), text)


def _against_average(c: StatComparison) -> float:
    # Small counts swing wildly in percent (2 captures against 1 is +100%), so K/D, the stat
    # players judge a game by, gets a head start.
    bonus = _KD_BONUS if c.stat is Stat.KD else 0
    return 50 + bonus + min(abs(c.gain_pct or 0), 100)


def _absolute_strengths(match: Match, comparison: Comparison, say: Phrasing) -> list[Line]:
    player, values = match.stats.player, comparison.values
    lines = []
    if player.kills >= max(player.deaths * 1.5, 1):
        text = _(
            "Dominant gunfights: {kills} for {deaths}.",
            kills=counted(player.kills, "kill"),
            deaths=counted(player.deaths, "death"),
        )
        lines.append(Line(Stat.KD.value, 25, text))
    elif player.kills >= max(player.deaths, 1):
        text = _(
            "Won more fights than you lost ({score}).", score=versus(player.kills, player.deaths)
        )
        lines.append(Line(Stat.KD.value, 20, text))
    accuracy = values.get(Stat.ACCURACY)
    if accuracy is not None and accuracy >= 25:
        text = say.pick(
            "aim",
            [
                _("Sharp aim: {accuracy:.1f}% accuracy.", accuracy=accuracy),
                _("{accuracy:.1f}% accuracy.", accuracy=accuracy),
            ],
        )
        lines.append(Line(Stat.ACCURACY.value, 20, text))
    if player.assists >= 8:
        lines.append(
            Line(
                Stat.ASSISTS.value,
                15,
                _("{assists}: you set your team up.", assists=counted(player.assists, "assist")),
            )
        )
    return lines + _objective_strengths(match)


def _objective_strengths(match: Match) -> list[Line]:
    player = match.stats.player
    lines = []
    if isinstance(player, HardpointStats):
        if player.objective_time_s >= 90:
            time = format_stat(Stat.OBJECTIVE_TIME, player.objective_time_s)
            text = _("Played the hill: {time} in it.", time=time)
            lines.append(Line(Stat.OBJECTIVE_TIME.value, 22, text))
        if player.captures >= 3:
            text = _(
                "{captures}: first into the new hill.", captures=counted(player.captures, "capture")
            )
            lines.append(Line(Stat.CAPTURES.value, 21, text))
    elif isinstance(player, SearchAndDestroyStats):
        if player.plants + player.defuses:
            text = _(
                "Played the bomb: {plants}, {defuses}.",
                plants=counted(player.plants, "plant"),
                defuses=counted(player.defuses, "defuse"),
            )
            lines.append(Line("bomb", 22, text))
        rounds = match.stats.team_score + match.stats.enemy_score
        if player.deaths == 0:
            lines.append(
                Line(Stat.DEATHS.value, 21, _("Survived all {rounds} rounds.", rounds=rounds))
            )
        elif player.deaths * 2 < rounds:
            text = _(
                "Stayed alive: died in only {deaths} of {rounds} rounds.",
                deaths=player.deaths,
                rounds=rounds,
            )
            lines.append(Line(Stat.DEATHS.value, 21, text))
    elif isinstance(player, OverloadStats):
        if player.overloads:
            text = _(
                "Scored {overloads} for the team.", overloads=counted(player.overloads, "overload")
            )
            lines.append(Line(Stat.OVERLOADS.value, 22, text))
        if player.device_carry_time_s >= 60:
            time = format_stat(Stat.DEVICE_CARRY_TIME, player.device_carry_time_s)
            text = _("Carried the device for {time}.", time=time)
            lines.append(Line(Stat.DEVICE_CARRY_TIME.value, 21, text))
    return lines


def work_lines(match: Match, comparison: Comparison, say: Phrasing) -> list[Line]:
    """Everything worth working on: drops under the average, losing runs, weak numbers."""
    lines = [_below_average_line(c, say) for c in comparison.drops]
    if comparison.loss_streak >= 3:
        text = _(
            "{count} losses in a row: review this one before queueing again.",
            count=comparison.loss_streak,
        )
        lines.append(Line("result", 45, text))
    player, values = match.stats.player, comparison.values
    if player.deaths > player.kills:
        kd = values[Stat.KD]
        text = say.pick(
            "kd-low",
            [
                _(
                    "Lost more fights than you won ({score}): take fights next to a teammate.",
                    score=versus(player.kills, player.deaths),
                ),
                _(
                    "{deaths} for {kills}: pick fights you can trade.",
                    deaths=counted(player.deaths, "death"),
                    kills=counted(player.kills, "kill"),
                ),
            ],
        )
        lines.append(Line(Stat.KD.value, 30 + (1 - kd) * 20, text))
    accuracy = values.get(Stat.ACCURACY)
    if accuracy is not None and accuracy < 18:
        text = _("Accuracy {accuracy:.1f}%: slow down for the first shot.", accuracy=accuracy)
        lines.append(Line(Stat.ACCURACY.value, 20, text))
    lines += _objective_work(match)
    # A new personal best is never the thing to work on, whatever else it looks like.
    return [line for line in lines if line.topic not in {s.value for s in comparison.new_bests}]


def _below_average_line(c: StatComparison, say: Phrasing) -> Line:
    pct = round(abs(c.delta_pct or 0))
    value, average = format_stat(c.stat, c.value), format_stat(c.stat, c.average)
    if c.stat is Stat.DEATHS:
        text = _(
            "{deaths}, {pct}% more than your average of {average}.",
            deaths=counted(round(c.value), "death"),
            pct=pct,
            average=average,
        )
    else:
        text = say.pick(
            f"down:{c.stat}",
            [
                _(
                    "{stat} {value}, {pct}% below your average of {average}.",
                    stat=_(c.stat.label),
                    value=value,
                    pct=pct,
                    average=average,
                ),
                _(
                    "{stat} down {pct}% on your average: {value} against {average}.",
                    stat=_(c.stat.label),
                    value=value,
                    pct=pct,
                    average=average,
                ),
            ],
        )
    return Line(c.stat.value, _against_average(c), text)


def _objective_work(match: Match) -> list[Line]:
    player = match.stats.player
    lines = []
    if isinstance(player, HardpointStats):
        if player.objective_time_s < 45:
            time = format_stat(Stat.OBJECTIVE_TIME, player.objective_time_s)
            text = _("Only {time} in the hill: rotate to the next one early.", time=time)
            lines.append(Line(Stat.OBJECTIVE_TIME.value, 25, text))
        if player.captures == 0:
            text = _("No captures: be first into the new hill.")
            lines.append(Line(Stat.CAPTURES.value, 18, text))
    elif isinstance(player, SearchAndDestroyStats):
        rounds = match.stats.team_score + match.stats.enemy_score
        if player.deaths * 10 >= rounds * 7:
            text = _(
                "Died in {deaths} of {rounds} rounds: play for the trade, not the entry.",
                deaths=player.deaths,
                rounds=rounds,
            )
            lines.append(Line(Stat.DEATHS.value, 28, text))
    elif isinstance(player, OverloadStats) and player.overloads == 0:
        text = _("No overloads: escort the device carrier in.")
        lines.append(Line(Stat.OVERLOADS.value, 18, text))
    return lines


def strength_fillers(match: Match) -> list[Line]:
    """True of any match, for when too little stood out."""
    player = match.stats.player
    return [
        Line(Stat.SCORE.value, 0, _("Put up {score:,} score.", score=player.score)),
        Line(
            "involvement",
            0,
            _(
                "{kills} and {assists}.",
                kills=counted(player.kills, "kill"),
                assists=counted(player.assists, "assist"),
            ),
        ),
    ]


def work_fillers(match: Match, comparison: Comparison) -> list[Line]:
    """Goals for the next match, for when nothing went wrong."""
    mode = _(match.stats.mode.display_name)
    kd = format_stat(Stat.KD, comparison.values[Stat.KD])
    return [
        Line(
            "next-kd",
            0,
            _("Beat this match's {kd} K/D in your next {mode} game.", kd=kd, mode=mode),
        ),
        Line("next-log", 0, _("Log your next {mode} match to keep the trend honest.", mode=mode)),
    ]
