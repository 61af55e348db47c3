"""One player's scoreboard line, as a union discriminated on ``mode``, and weapon stats."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.core.game.errors import InconsistentFields
from app.core.game.rules import MODE_RULES, Mode, ModeRules
from app.core.i18n import _
from app.core.wording import counted

NAME_MAX_LENGTH = 64
MAX_WEAPONS = 10


def _reject_booleans(value: object) -> object:
    # Pydantic's lax mode reads true as 1; a boolean where a number belongs is a misread.
    if isinstance(value, bool):
        raise PydanticCustomError("number_expected", "expected a number, not true or false")
    return value


Count = Annotated[int, BeforeValidator(_reject_booleans), Field(ge=0)]
Percentage = Annotated[float, BeforeValidator(_reject_booleans), Field(ge=0, le=100)]
DisplayName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH)
]


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlayerStatsBase(FrozenModel):
    """Fields every mode's scoreboard shows; each mode's subclass adds its objective stats
    and the `ModeRules` whose limits apply. Use a subclass, or `PlayerStats` for any of them.
    """

    rules: ClassVar[ModeRules]

    gamertag: DisplayName | None = None
    score: Count
    kills: Count
    deaths: Count
    assists: Count

    @field_validator("*")
    @classmethod
    def _within_mode_limit(cls, value: object, info: ValidationInfo) -> object:
        limit = cls.rules.player_limits.get(info.field_name or "")
        if limit is not None and isinstance(value, int) and value > limit:
            raise PydanticCustomError(
                "above_mode_limit",
                "{value} is more than possible in {mode} (max {limit})",
                {"value": value, "mode": cls.rules.display_name, "limit": limit},
            )
        return value


class HardpointStats(PlayerStatsBase):
    rules: ClassVar[ModeRules] = MODE_RULES[Mode.HARDPOINT]

    mode: Literal[Mode.HARDPOINT] = Mode.HARDPOINT
    objective_time_s: Count
    captures: Count


class SearchAndDestroyStats(PlayerStatsBase):
    rules: ClassVar[ModeRules] = MODE_RULES[Mode.SEARCH_AND_DESTROY]

    mode: Literal[Mode.SEARCH_AND_DESTROY] = Mode.SEARCH_AND_DESTROY
    plants: Count
    defuses: Count


class OverloadStats(PlayerStatsBase):
    rules: ClassVar[ModeRules] = MODE_RULES[Mode.OVERLOAD]

    mode: Literal[Mode.OVERLOAD] = Mode.OVERLOAD
    overloads: Count
    device_carry_time_s: Count


PlayerStats = Annotated[
    HardpointStats | SearchAndDestroyStats | OverloadStats, Field(discriminator="mode")
]

PLAYER_STATS_BY_MODE: Mapping[
    Mode, type[HardpointStats | SearchAndDestroyStats | OverloadStats]
] = MappingProxyType(
    {
        Mode.HARDPOINT: HardpointStats,
        Mode.SEARCH_AND_DESTROY: SearchAndDestroyStats,
        Mode.OVERLOAD: OverloadStats,
    }
)


class WeaponStat(FrozenModel):
    """One weapon's line on the after-action weapons screen."""

    name: DisplayName
    kills: Count
    headshots: Count
    # Not every screen shows accuracy.
    accuracy: Percentage | None = None

    @model_validator(mode="after")
    def _headshots_are_kills(self) -> WeaponStat:
        if self.headshots > self.kills:
            raise InconsistentFields(
                [
                    (
                        "headshots",
                        _(
                            "{headshots} but only {kills}",
                            headshots=counted(self.headshots, "headshot"),
                            kills=counted(self.kills, "kill"),
                        ),
                    )
                ]
            )
        return self
