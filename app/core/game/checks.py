"""A match's flags as a player reads them: "check: kills 31 or 34?", "Map 'Dne' isn't in the
catalog". One wording for the bot's embed and the dashboard's match page."""

from __future__ import annotations

from app.core.game.catalog import CatalogFlag, CatalogFlagReason, CatalogKind
from app.core.game.disagreements import WEAPONS, FlagValue, ReaderFlag
from app.core.game.rules import Mode
from app.core.i18n import N_, _

CHECKS_TITLE = N_("Two readers disagree (the first value was saved; Fix corrects it)")
# A scoreboard misread from top to bottom says so in a few lines; Fix shows the rest.
MAX_CHECK_LINES = 6

_MODE_NAMES = {mode.value: mode.rules.display_name for mode in Mode}
_LABELS = {
    "mode": N_("mode"),
    "map": N_("map"),
    "result": N_("result"),
    "team_score": N_("your team's score"),
    "enemy_score": N_("enemy score"),
    "player.score": N_("score"),
    "player.kills": N_("kills"),
    "player.deaths": N_("deaths"),
    "player.assists": N_("assists"),
    "player.objective_time_s": N_("hill time"),
    "player.captures": N_("captures"),
    "player.plants": N_("plants"),
    "player.defuses": N_("defuses"),
    "player.overloads": N_("overloads"),
    "player.device_carry_time_s": N_("device carry time"),
    WEAPONS: N_("weapons"),
}
_WEAPON_STAT_LABELS = {
    "kills": N_("kills"),
    "headshots": N_("headshots"),
    "accuracy": N_("accuracy"),
}
# One sentence per kind of name: the article and adjective agree with it ("el mapa", "el arma").
_NOT_IN_CATALOG = {
    CatalogKind.MAP: N_("Map '{name}' isn't in the catalog (kept as read)"),
    CatalogKind.WEAPON: N_("Weapon '{name}' isn't in the catalog (kept as read)"),
    CatalogKind.TEAM: N_("Team '{name}' isn't in the catalog (kept as read)"),
}
_NOT_RANKED_IN_MODE = {
    CatalogKind.MAP: N_("Map '{name}' isn't played in ranked {mode}: check the map and the mode"),
    CatalogKind.WEAPON: N_(
        "Weapon '{name}' isn't played in ranked {mode}: check the map and the mode"
    ),
    CatalogKind.TEAM: N_("Team '{name}' isn't played in ranked {mode}: check the map and the mode"),
}


def check_lines(flags: list[ReaderFlag]) -> str:
    lines = [check_line(flag) for flag in flags[:MAX_CHECK_LINES]]
    if len(flags) > MAX_CHECK_LINES:
        lines.append(_("…and {count} more", count=len(flags) - MAX_CHECK_LINES))
    return "\n".join(lines)


def check_line(flag: ReaderFlag) -> str:
    """``check: kills 31 or 34?``, ``check: hill time 1:52 or 1:25?``."""
    used, other = _shown(flag.field, flag.used), _shown(flag.field, flag.other)
    return _("check: {field} {used} or {other}?", field=_label(flag.field), used=used, other=other)


def _label(field: str) -> str:
    weapon, _dot, stat = field.removeprefix(f"{WEAPONS}.").rpartition(".")
    if field.startswith(f"{WEAPONS}.") and weapon:
        stat_label = _WEAPON_STAT_LABELS.get(stat)
        return _("{weapon} {stat}", weapon=weapon, stat=_(stat_label) if stat_label else stat)
    label = _LABELS.get(field)
    return _(label) if label else field


def _shown(field: str, value: FlagValue) -> str:
    if field == "mode" and value in _MODE_NAMES:
        return _(_MODE_NAMES[str(value)])
    if field.endswith("_s") and isinstance(value, int):
        return f"{value // 60}:{value % 60:02d}"
    if field.endswith(".accuracy"):
        return f"{value}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


def catalog_line(flag: CatalogFlag, mode: Mode) -> str:
    """``Map 'Dne' isn't in the catalog (kept as read)``; a known map Ranked Play does not use
    in ``mode`` hints that the map or the mode was misread."""
    if flag.reason is CatalogFlagReason.NOT_RANKED_IN_MODE:
        return _(_NOT_RANKED_IN_MODE[flag.kind], name=flag.raw, mode=_(mode.display_name))
    return _(_NOT_IN_CATALOG[flag.kind], name=flag.raw)
