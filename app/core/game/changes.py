"""What a correction changed, in the words a player used to make it: "kills 31 → 34"."""

from __future__ import annotations

from app.core.game.field_names import readable_field
from app.core.game.modes import MatchStats

# Fields a correction can change, in the order the form asks for them; weapons stay as read.
_MATCH_FIELDS = ("map", "result", "team_score", "enemy_score")
_PLAYER_LEFT_OUT = frozenset({"mode", "gamertag"})


def stat_changes(before: MatchStats, after: MatchStats) -> list[str]:
    """Each changed field as "<field> <before> → <after>", e.g. "hill time 1:30 → 1:52"."""
    old, new = _shown(before), _shown(after)
    return [
        f"{readable_field(path)} {old[path]} → {value}"
        for path, value in new.items()
        if old.get(path) != value
    ]


def _shown(stats: MatchStats) -> dict[str, str]:
    fields = {name: getattr(stats, name) for name in _MATCH_FIELDS}
    player = stats.player.model_dump(exclude=set(_PLAYER_LEFT_OUT))
    fields.update({f"player.{name}": value for name, value in player.items()})
    return {path: _text(path, value) for path, value in fields.items()}


def _text(path: str, value: object) -> str:
    if path.endswith("_s") and isinstance(value, int):
        return f"{value // 60}:{value % 60:02d}"
    return str(getattr(value, "value", value))
