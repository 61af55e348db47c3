"""A new match against the player's own recent history: the numbers behind every debrief.

Everything here is computed before the AI is asked anything, so the AI only words facts, and
the template debrief (when the AI is down) says the same things.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import fmean
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.core.debriefing.formatting import (
    format_percent,
    format_stat,
    in_sentence,
    join_words,
    rounded,
)
from app.core.game.metrics import Stat, kd_ratio, stat_value, stats_for_mode
from app.core.game.rules import Mode, Result
from app.core.i18n import _
from app.core.matches import Match

# A change smaller than this is noise, neither a strength nor a weakness.
NOTABLE_CHANGE_PCT = 5.0
# How many strengths and weaknesses a debrief can mention.
MAX_HIGHLIGHTS = 3


# Below this an average shows as 0 at every precision we display, so no percentage is given.
NEGLIGIBLE_AVERAGE = 1e-6


class StatComparison(BaseModel):
    """One stat of the new match against the player's average over the compared matches."""

    model_config = ConfigDict(frozen=True)

    stat: Stat
    value: float
    average: float

    @property
    def delta(self) -> float:
        return self.value - self.average

    @property
    def delta_pct(self) -> float | None:
        """The change relative to the average; None when the average is (about) zero.

        "About": an average of 1e-309 % accuracy is zero to any reader, and dividing by it
        gives an infinite percentage.
        """
        if abs(self.average) < NEGLIGIBLE_AVERAGE:
            return None
        return self.delta / abs(self.average) * 100

    @property
    def gain_pct(self) -> float | None:
        """`delta_pct` signed so that positive is better (fewer deaths is a gain)."""
        pct = self.delta_pct
        if pct is None:
            return None
        return pct if self.stat.higher_is_better else -pct

    def describe(self) -> str:
        """E.g. "K/D 1.41 vs your 1.12 average (+26%)"."""
        text = _(
            "{stat} {value} vs your {average} average",
            stat=_(self.stat.label),
            value=format_stat(self.stat, self.value),
            average=format_stat(self.stat, self.average),
        )
        pct = self.delta_pct
        return f"{text} ({format_percent(pct)})" if pct is not None else text


class Comparison(BaseModel):
    """How a match compares with the player's previous matches of the same mode."""

    model_config = ConfigDict(frozen=True)

    mode: Mode
    map: str
    result: Result
    team_score: int
    enemy_score: int
    # How many previous matches the averages cover; 0 for the first match of the mode.
    history: int
    values: dict[Stat, float]
    stats: tuple[StatComparison, ...]
    new_bests: tuple[Stat, ...]
    # The run of wins (or losses) this match extends, counting this match; 0 otherwise.
    win_streak: int
    loss_streak: int

    @property
    def is_first(self) -> bool:
        return self.history == 0

    @property
    def gains(self) -> tuple[StatComparison, ...]:
        """Every stat notably above average (fewer deaths counts as above), best first."""
        gains = [s for s in self.stats if (s.gain_pct or 0) >= NOTABLE_CHANGE_PCT]
        return tuple(sorted(gains, key=lambda s: (-(s.gain_pct or 0), s.stat.value)))

    @property
    def drops(self) -> tuple[StatComparison, ...]:
        """Every stat notably below average, worst first."""
        drops = [s for s in self.stats if (s.gain_pct or 0) <= -NOTABLE_CHANGE_PCT]
        return tuple(sorted(drops, key=lambda s: (s.gain_pct or 0, s.stat.value)))

    @property
    def strengths(self) -> tuple[StatComparison, ...]:
        """The stats most above average: the candidates for a debrief's strengths."""
        return self.gains[:MAX_HIGHLIGHTS]

    @property
    def weaknesses(self) -> tuple[StatComparison, ...]:
        """The stats most below average: the candidates for what to work on."""
        return self.drops[:MAX_HIGHLIGHTS]

    def against(self, stat: Stat) -> StatComparison | None:
        return next((s for s in self.stats if s.stat is stat), None)

    @property
    def summary(self) -> str:
        """One line for the debrief embed, e.g. "K/D 1.41 vs your 1.12 average (+26%) · new
        best score"."""
        if self.is_first:
            return _(
                "First {mode} match logged — this sets your baseline.",
                mode=_(self.mode.display_name),
            )
        parts = [kd.describe()] if (kd := self.against(Stat.KD)) else []
        if self.new_bests:
            stats = join_words([in_sentence(s) for s in self.new_bests])
            if len(self.new_bests) == 1:
                parts.append(_("new best {stat}", stat=stats))
            else:
                parts.append(_("new bests: {stats}", stats=stats))
        if self.win_streak >= 2:
            parts.append(_("{count} wins in a row", count=self.win_streak))
        return " · ".join(parts)

    def facts(self) -> dict[str, Any]:
        """Plain numbers and words for the AI, keyed by the labels players know."""
        return {
            "mode": self.mode.display_name,
            "map": self.map,
            "result": self.result.value,
            "team_score": self.team_score,
            "enemy_score": self.enemy_score,
            "matches_compared": self.history,
            "this_match": {s.label: rounded(s, v) for s, v in self.values.items()},
            "your_averages": {c.stat.label: rounded(c.stat, c.average) for c in self.stats},
            "change_vs_average_pct": {
                c.stat.label: round(c.delta_pct) for c in self.stats if c.delta_pct is not None
            },
            "new_personal_bests": [s.label for s in self.new_bests],
            "win_streak": self.win_streak,
            "loss_streak": self.loss_streak,
            "best_vs_average": [c.stat.label for c in self.strengths],
            "worst_vs_average": [c.stat.label for c in self.weaknesses],
            "summary": self.summary,
        }


def compare_match(
    match: Match, previous: Sequence[Match], bests: Mapping[Stat, float]
) -> Comparison:
    """Compare ``match`` with ``previous`` (e.g. the player's last 10) and their ``bests``.

    Only previous matches of the same mode count, and ``match`` itself is ignored if it is in
    the list, so a caller may pass a page that includes it. ``bests`` must be the player's
    bests *before* this match; with no previous match nothing is claimed as a best.
    """
    mode = match.stats.mode
    history = sorted(
        (m for m in previous if m.stats.mode is mode and m.id != match.id),
        key=lambda m: (m.played_at, m.id),
        reverse=True,
    )
    values = _values(match)
    return Comparison(
        mode=mode,
        map=match.stats.map,
        result=match.stats.result,
        team_score=match.stats.team_score,
        enemy_score=match.stats.enemy_score,
        history=len(history),
        values=values,
        stats=tuple(
            StatComparison(stat=stat, value=value, average=average)
            for stat, value in values.items()
            if (average := _average(stat, history)) is not None
        ),
        new_bests=_new_bests(values, bests) if history else (),
        win_streak=_streak(Result.WIN, match, history),
        loss_streak=_streak(Result.LOSS, match, history),
    )


def _values(match: Match) -> dict[Stat, float]:
    """Every stat of the match's mode that the match shows (accuracy may be missing)."""
    values = {stat: stat_value(match.stats, stat) for stat in stats_for_mode(match.stats.mode)}
    return {stat: value for stat, value in values.items() if value is not None}


def _average(stat: Stat, history: Sequence[Match]) -> float | None:
    if not history:
        return None
    if stat is Stat.KD:
        # Pooled, not a mean of ratios: one 10-0 stomp must not outweigh ten normal games.
        kills = sum(m.stats.player.kills for m in history)
        deaths = sum(m.stats.player.deaths for m in history)
        return kd_ratio(kills, deaths)
    shown = [v for m in history if (v := stat_value(m.stats, stat)) is not None]
    return fmean(shown) if shown else None


def _new_bests(values: Mapping[Stat, float], bests: Mapping[Stat, float]) -> tuple[Stat, ...]:
    beaten = []
    for stat, value in values.items():
        best = bests.get(stat)
        if best is not None and (value > best if stat.higher_is_better else value < best):
            beaten.append(stat)
    return tuple(beaten)


def _streak(result: Result, match: Match, history: Sequence[Match]) -> int:
    if match.stats.result is not result:
        return 0
    run = 1
    for earlier in history:
        if earlier.stats.result is not result:
            break
        run += 1
    return run
