"""A match's flags as a player reads them: "check: kills 31 or 34?", "Map 'Dne' isn't in the
catalog". One wording for the bot's embed and the dashboard's match page."""

from __future__ import annotations

from app.core.game.catalog import CatalogFlag, CatalogFlagReason
from app.core.game.disagreements import WEAPONS, FlagValue, ReaderFlag
from app.core.game.rules import Mode
from app.core.wording import capitalised

CHECKS_TITLE = "Two readers disagree (the first value was saved; Fix corrects it)"
# A scoreboard misread from top to bottom says so in a few lines; Fix shows the rest.
MAX_CHECK_LINES = 6

_MODE_NAMES = {mode.value: mode.rules.display_name for mode in Mode}
_LABELS = {
    "mode": "mode",
    "map": "map",
    "result": "result",
    "team_score": "your team's score",
    "enemy_score": "enemy score",
    "player.score": "score",
    "player.kills": "kills",
    "player.deaths": "deaths",
    "player.assists": "assists",
    "player.objective_time_s": "hill time",
    "player.captures": "captures",
    "player.plants": "plants",
    "player.defuses": "defuses",
    "player.overloads": "overloads",
    "player.device_carry_time_s": "device carry time",
}


def check_lines(flags: list[ReaderFlag]) -> str:
    lines = [check_line(flag) for flag in flags[:MAX_CHECK_LINES]]
    if len(flags) > MAX_CHECK_LINES:
        lines.append(f"…and {len(flags) - MAX_CHECK_LINES} more")
    return "\n".join(lines)


def check_line(flag: ReaderFlag) -> str:
    """``check: kills 31 or 34?``, ``check: hill time 1:52 or 1:25?``."""
    used, other = _shown(flag.field, flag.used), _shown(flag.field, flag.other)
    return f"check: {_label(flag.field)} {used} or {other}?"


def _label(field: str) -> str:
    weapon, _, stat = field.removeprefix(f"{WEAPONS}.").rpartition(".")
    if field.startswith(f"{WEAPONS}.") and weapon:
        return f"{weapon} {stat}"
    return _LABELS.get(field, field)


def _shown(field: str, value: FlagValue) -> str:
    if field == "mode" and value in _MODE_NAMES:
        return _MODE_NAMES[str(value)]
    if field.endswith("_s") and isinstance(value, int):
        return f"{value // 60}:{value % 60:02d}"
    if field.endswith(".accuracy"):
        return f"{value}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


def catalog_line(flag: CatalogFlag, mode: Mode) -> str:
    """``Map 'Dne' isn't in the catalog (kept as read)``; a known map Ranked Play does not use
    in ``mode`` hints that the map or the mode was misread."""
    named = f"{capitalised(flag.kind.value)} '{flag.raw}'"
    if flag.reason is CatalogFlagReason.NOT_RANKED_IN_MODE:
        return f"{named} isn't played in ranked {mode.display_name}: check the map and the mode"
    return f"{named} isn't in the catalog (kept as read)"
