"""How numbers read in debriefs and digests: K/D with two decimals, times as m:ss."""

from __future__ import annotations

from app.core.game.metrics import Stat
from app.core.i18n import _

# Stats counted in seconds, shown as m:ss.
TIME_STATS = frozenset({Stat.OBJECTIVE_TIME, Stat.DEVICE_CARRY_TIME})


def format_stat(stat: Stat, value: float) -> str:
    """A stat's value as players read it: "1.41", "23.5%", "1:35", "6,100", "24.3"."""
    if stat is Stat.KD:
        return f"{value:.2f}"
    if stat is Stat.ACCURACY:
        return f"{value:.1f}%"
    if stat in TIME_STATS:
        seconds = round(value)
        return f"{seconds // 60}:{seconds % 60:02d}"
    if value == round(value):
        return f"{round(value):,}"
    return f"{value:,.1f}"


def format_percent(percent: float) -> str:
    """A signed change, e.g. "+26%" or "-8%"."""
    return f"{percent:+.0f}%"


def in_sentence(stat: Stat) -> str:
    """The stat's label inside a sentence: "score", "hill time", but "K/D" as it is."""
    label = _(stat.label)  # a stat's label is in the catalog as a choice of /leaderboard
    return label if stat is Stat.KD else label.lower()


def rounded(stat: Stat, value: float) -> float | int:
    """The value at the precision it is shown with, for facts handed to the AI: 7400, not
    7400.0, so the model repeats it as players read it."""
    if value == round(value) and stat not in {Stat.KD, Stat.ACCURACY}:
        return round(value)
    return round(value, 2 if stat is Stat.KD else 1)


def join_words(words: list[str]) -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return _("{first} and {last}", first=", ".join(words[:-1]), last=words[-1])


def versus(ours: int, theirs: int) -> str:
    """A score line such as "250-201", written with the en dash that sports scores use."""
    return f"{ours}\N{EN DASH}{theirs}"
