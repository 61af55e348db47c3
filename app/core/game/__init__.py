"""The Black Ops 7 game model: ranked modes, validated match stats, stats, and the catalog."""

from app.core.game.catalog import (
    Catalog,
    CatalogEntry,
    CatalogFlag,
    CatalogFlagReason,
    CatalogKind,
    CatalogName,
    MapEntry,
    TeamEntry,
    WeaponClass,
    WeaponEntry,
    apply_catalog,
)
from app.core.game.errors import GameDataError, InvalidCatalog, InvalidMatchStats, UnknownStat
from app.core.game.metrics import Stat, kd_ratio, mean_accuracy, stat_value, stats_for_mode
from app.core.game.modes import (
    HardpointStats,
    MatchStats,
    OverloadStats,
    PlayerStats,
    SearchAndDestroyStats,
    WeaponStat,
)
from app.core.game.names import loose_key, normalise_name, tidy_name
from app.core.game.rules import MODE_RULES, Mode, ModeRules, Result
from app.core.game.validation import validate_extraction

__all__ = [
    "MODE_RULES",
    "Catalog",
    "CatalogEntry",
    "CatalogFlag",
    "CatalogFlagReason",
    "CatalogKind",
    "CatalogName",
    "GameDataError",
    "HardpointStats",
    "InvalidCatalog",
    "InvalidMatchStats",
    "MapEntry",
    "MatchStats",
    "Mode",
    "ModeRules",
    "OverloadStats",
    "PlayerStats",
    "Result",
    "SearchAndDestroyStats",
    "Stat",
    "TeamEntry",
    "UnknownStat",
    "WeaponClass",
    "WeaponEntry",
    "WeaponStat",
    "apply_catalog",
    "kd_ratio",
    "loose_key",
    "mean_accuracy",
    "normalise_name",
    "stat_value",
    "stats_for_mode",
    "tidy_name",
    "validate_extraction",
]
