"""The debrief written from the numbers alone, for when the AI is unavailable.

It must read like a coach's notes, not a form letter: every line is a fact of this match, the
phrasing varies from match to match (but never for the same match), and it never praises a
stat that was poor or criticises one that was good.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from app.core.ai import AIUsage, DebriefText
from app.core.debriefing.comparison import Comparison
from app.core.debriefing.formatting import format_stat, in_sentence, versus
from app.core.debriefing.lines import (
    Line,
    Phrasing,
    strength_fillers,
    strength_lines,
    work_fillers,
    work_lines,
)
from app.core.game.metrics import Stat
from app.core.game.rules import Result
from app.core.i18n import _
from app.core.matches import Match
from app.core.wording import counted

TEMPLATE_MODEL = "template"
MIN_LINES = 2
MAX_LINES = 3


def template_debrief(match: Match, comparison: Comparison) -> DebriefText:
    """A headline, two or three strengths and two or three things to work on, from numbers only."""
    say = Phrasing(match.id)
    good, bad = _settle(strength_lines(match, comparison, say), work_lines(match, comparison, say))
    strengths = _choose(good, strength_fillers(match), avoid={line.topic for line in bad})
    to_work_on = _choose(
        bad, work_fillers(match, comparison), avoid={line.topic for line in strengths}
    )
    return DebriefText(
        headline=_headline(match, comparison, say),
        strengths=tuple(line.text for line in strengths),
        to_work_on=tuple(line.text for line in to_work_on),
        usage=AIUsage(model=TEMPLATE_MODEL),
    )


def _settle(good: list[Line], bad: list[Line]) -> tuple[list[Line], list[Line]]:
    """Put each topic on one side only, the side where it says the most.

    A 1.1 K/D is a strength on its own but not when it is 40% under the player's average;
    saying both would read as a contradiction.
    """
    good_top = _top_priority(good)
    bad_top = _top_priority(bad)
    return (
        [line for line in good if line.priority >= bad_top.get(line.topic, -1.0)],
        [line for line in bad if line.priority > good_top.get(line.topic, -1.0)],
    )


def _top_priority(lines: Iterable[Line]) -> dict[str, float]:
    top: dict[str, float] = {}
    for line in lines:
        top[line.topic] = max(line.priority, top.get(line.topic, line.priority))
    return top


def _choose(
    candidates: Iterable[Line], fillers: Sequence[Line], *, avoid: Collection[str]
) -> list[Line]:
    chosen: list[Line] = []
    for line in sorted(candidates, key=lambda line: -line.priority):
        if len(chosen) < MAX_LINES and all(line.topic != c.topic for c in chosen):
            chosen.append(line)
    # Fillers touching a topic of the other list go last: better a mild repeat than too few.
    for filler in sorted(fillers, key=lambda line: line.topic in avoid):
        if len(chosen) >= MIN_LINES:
            break
        if all(filler.topic != c.topic for c in chosen):
            chosen.append(filler)
    return chosen


def _headline(match: Match, comparison: Comparison, say: Phrasing) -> str:
    stats = match.stats
    score = versus(stats.team_score, stats.enemy_score)
    kd = format_stat(Stat.KD, comparison.values[Stat.KD])
    outcome = {Result.WIN: _("win"), Result.LOSS: _("loss"), Result.DRAW: _("draw")}[stats.result]
    kills, map_ = counted(stats.player.kills, "kill"), stats.map
    if comparison.new_bests:
        best = comparison.new_bests[0]
        if best is Stat.DEATHS:
            feat = _("Fewest deaths yet")
        else:
            feat = _("New best {stat}", stat=in_sentence(best))
        return _(
            "{feat} in a {score} {outcome} on {map}",
            feat=feat,
            score=score,
            outcome=outcome,
            map=map_,
        )
    if stats.result is Result.WIN:
        options = [
            _("{score} win on {map} with a {kd} K/D", score=score, map=map_, kd=kd),
            _("Won {score} on {map}: {kills}, {kd} K/D", score=score, map=map_, kills=kills, kd=kd),
        ]
    elif stats.result is Result.LOSS:
        options = [
            _("{score} loss on {map}, {kd} K/D", score=score, map=map_, kd=kd),
            _(
                "Lost {score} on {map} — {kills}, {kd} K/D",
                score=score,
                map=map_,
                kills=kills,
                kd=kd,
            ),
        ]
    else:
        options = [_("{score} draw on {map}, {kd} K/D", score=score, map=map_, kd=kd)]
    return say.pick("headline", options)
