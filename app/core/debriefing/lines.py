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
        lines.append(Line("result", 60, f"{comparison.win_streak} wins in a row."))
    elif match.stats.result is Result.WIN:
        score = versus(match.stats.team_score, match.stats.enemy_score)
        # The headline already says it: only worth repeating when little else stood out.
        lines.append(Line("result", 12, f"Won {score} on {match.stats.map}."))
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
        parts.append(f"{len(bests) - _BESTS_LISTED} more")
    best = Line("bests", _BEST, f"New personal bests: {join_words(parts)}.")
    return [best, *(line for line in lines if line.topic not in covered)]


def _best_part(stat: Stat, value: float) -> str:
    shown = format_stat(stat, value)
    return f"fewest deaths ({shown})" if stat is Stat.DEATHS else f"{in_sentence(stat)} {shown}"


def _best_line(match: Match, stat: Stat, value: float, say: Phrasing) -> Line:
    shown, mode = format_stat(stat, value), match.stats.mode.display_name
    if stat is Stat.DEATHS:
        text = f"Only {counted(round(value), 'death')} — your fewest in {mode} yet."
    else:
        text = say.pick(
            f"best:{stat}",
            [
                f"New personal best {in_sentence(stat)}: {shown}.",
                f"{stat.label} {shown} — your best {mode} match yet.",
            ],
        )
    return Line(stat.value, _BEST, text)


def _above_average_line(c: StatComparison, say: Phrasing) -> Line:
    pct = round(abs(c.delta_pct or 0))
    value, average = format_stat(c.stat, c.value), format_stat(c.stat, c.average)
    if c.stat is Stat.DEATHS:
        text = (
            f"Only {counted(round(c.value), 'death')}, {pct}% fewer than your average of {average}."
        )
    else:
        text = say.pick(
            f"up:{c.stat}",
            [
                f"{c.stat.label} {value}, {pct}% above your average of {average}.",
                f"{c.stat.label} up {pct}% on your average: {value} against {average}.",
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
        text = (
            f"Dominant gunfights: {counted(player.kills, 'kill')} "
            f"for {counted(player.deaths, 'death')}."
        )
        lines.append(Line(Stat.KD.value, 25, text))
    elif player.kills >= max(player.deaths, 1):
        text = f"Won more fights than you lost ({versus(player.kills, player.deaths)})."
        lines.append(Line(Stat.KD.value, 20, text))
    accuracy = values.get(Stat.ACCURACY)
    if accuracy is not None and accuracy >= 25:
        text = say.pick(
            "aim", [f"Sharp aim: {accuracy:.1f}% accuracy.", f"{accuracy:.1f}% accuracy."]
        )
        lines.append(Line(Stat.ACCURACY.value, 20, text))
    if player.assists >= 8:
        lines.append(
            Line(
                Stat.ASSISTS.value,
                15,
                f"{counted(player.assists, 'assist')}: you set your team up.",
            )
        )
    return lines + _objective_strengths(match)


def _objective_strengths(match: Match) -> list[Line]:
    player = match.stats.player
    lines = []
    if isinstance(player, HardpointStats):
        if player.objective_time_s >= 90:
            time = format_stat(Stat.OBJECTIVE_TIME, player.objective_time_s)
            lines.append(Line(Stat.OBJECTIVE_TIME.value, 22, f"Played the hill: {time} in it."))
        if player.captures >= 3:
            text = f"{counted(player.captures, 'capture')}: first into the new hill."
            lines.append(Line(Stat.CAPTURES.value, 21, text))
    elif isinstance(player, SearchAndDestroyStats):
        if player.plants + player.defuses:
            text = f"Played the bomb: {counted(player.plants, 'plant')}, "
            text += f"{counted(player.defuses, 'defuse')}."
            lines.append(Line("bomb", 22, text))
        rounds = match.stats.team_score + match.stats.enemy_score
        if player.deaths == 0:
            lines.append(Line(Stat.DEATHS.value, 21, f"Survived all {rounds} rounds."))
        elif player.deaths * 2 < rounds:
            text = f"Stayed alive: died in only {player.deaths} of {rounds} rounds."
            lines.append(Line(Stat.DEATHS.value, 21, text))
    elif isinstance(player, OverloadStats):
        if player.overloads:
            text = f"Scored {counted(player.overloads, 'overload')} for the team."
            lines.append(Line(Stat.OVERLOADS.value, 22, text))
        if player.device_carry_time_s >= 60:
            time = format_stat(Stat.DEVICE_CARRY_TIME, player.device_carry_time_s)
            lines.append(Line(Stat.DEVICE_CARRY_TIME.value, 21, f"Carried the device for {time}."))
    return lines


def work_lines(match: Match, comparison: Comparison, say: Phrasing) -> list[Line]:
    """Everything worth working on: drops under the average, losing runs, weak numbers."""
    lines = [_below_average_line(c, say) for c in comparison.drops]
    if comparison.loss_streak >= 3:
        text = f"{comparison.loss_streak} losses in a row: review this one before queueing again."
        lines.append(Line("result", 45, text))
    player, values = match.stats.player, comparison.values
    if player.deaths > player.kills:
        kd = values[Stat.KD]
        text = say.pick(
            "kd-low",
            [
                f"Lost more fights than you won ({versus(player.kills, player.deaths)}): "
                "take fights next to a teammate.",
                f"{counted(player.deaths, 'death')} for {counted(player.kills, 'kill')}: "
                "pick fights you can trade.",
            ],
        )
        lines.append(Line(Stat.KD.value, 30 + (1 - kd) * 20, text))
    accuracy = values.get(Stat.ACCURACY)
    if accuracy is not None and accuracy < 18:
        text = f"Accuracy {accuracy:.1f}%: slow down for the first shot."
        lines.append(Line(Stat.ACCURACY.value, 20, text))
    lines += _objective_work(match)
    # A new personal best is never the thing to work on, whatever else it looks like.
    return [line for line in lines if line.topic not in {s.value for s in comparison.new_bests}]


def _below_average_line(c: StatComparison, say: Phrasing) -> Line:
    pct = round(abs(c.delta_pct or 0))
    value, average = format_stat(c.stat, c.value), format_stat(c.stat, c.average)
    if c.stat is Stat.DEATHS:
        text = f"{counted(round(c.value), 'death')}, {pct}% more than your average of {average}."
    else:
        text = say.pick(
            f"down:{c.stat}",
            [
                f"{c.stat.label} {value}, {pct}% below your average of {average}.",
                f"{c.stat.label} down {pct}% on your average: {value} against {average}.",
            ],
        )
    return Line(c.stat.value, _against_average(c), text)


def _objective_work(match: Match) -> list[Line]:
    player = match.stats.player
    lines = []
    if isinstance(player, HardpointStats):
        if player.objective_time_s < 45:
            time = format_stat(Stat.OBJECTIVE_TIME, player.objective_time_s)
            text = f"Only {time} in the hill: rotate to the next one early."
            lines.append(Line(Stat.OBJECTIVE_TIME.value, 25, text))
        if player.captures == 0:
            lines.append(Line(Stat.CAPTURES.value, 18, "No captures: be first into the new hill."))
    elif isinstance(player, SearchAndDestroyStats):
        rounds = match.stats.team_score + match.stats.enemy_score
        if player.deaths * 10 >= rounds * 7:
            text = f"Died in {player.deaths} of {rounds} rounds: play for the trade, not the entry."
            lines.append(Line(Stat.DEATHS.value, 28, text))
    elif isinstance(player, OverloadStats) and player.overloads == 0:
        lines.append(Line(Stat.OVERLOADS.value, 18, "No overloads: escort the device carrier in."))
    return lines


def strength_fillers(match: Match) -> list[Line]:
    """True of any match, for when too little stood out."""
    player = match.stats.player
    return [
        Line(Stat.SCORE.value, 0, f"Put up {player.score:,} score."),
        Line(
            "involvement",
            0,
            f"{counted(player.kills, 'kill')} and {counted(player.assists, 'assist')}.",
        ),
    ]


def work_fillers(match: Match, comparison: Comparison) -> list[Line]:
    """Goals for the next match, for when nothing went wrong."""
    mode = match.stats.mode.display_name
    kd = format_stat(Stat.KD, comparison.values[Stat.KD])
    return [
        Line("next-kd", 0, f"Beat this match's {kd} K/D in your next {mode} game."),
        Line("next-log", 0, f"Log your next {mode} match to keep the trend honest."),
    ]
