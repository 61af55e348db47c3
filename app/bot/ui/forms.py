"""The match form: five text boxes (Discord's limit for a modal) for /log and Fix.

Each box takes a short, forgiving format ("win 250-187", "31/22/9", "1:52 4"). Parsing
turns it into the raw stats shape the game model validates, so a typed match passes exactly
the same rules as one read by the AI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.game.errors import InvalidMatchStats
from app.core.game.rules import Mode
from app.core.i18n import N_, _
from app.core.matches import Match
from app.core.wording import counted


@dataclass(frozen=True, slots=True)
class Box:
    key: str
    label: str
    placeholder: str


@dataclass(frozen=True, slots=True)
class Objective:
    box: Box
    # Raw field names of the two numbers typed in the box; a "time" field accepts m:ss.
    fields: tuple[str, str]


# Labels and placeholders are msgids: the modal shows them in the interaction's language.
COMMON_BOXES = (
    Box("map", N_("Map"), "Den"),
    Box("result", N_("Result and score (yours first)"), N_("win 250-187")),
    Box("score", N_("Your score"), "7350"),
    Box("kda", N_("Kills / deaths / assists"), "31/22/9"),
)
OBJECTIVES: Mapping[Mode, Objective] = {
    Mode.HARDPOINT: Objective(
        Box("objective", N_("Hill time and captures"), "1:52 4"), ("objective_time_s", "captures")
    ),
    Mode.SEARCH_AND_DESTROY: Objective(
        Box("objective", N_("Plants and defuses"), "1 0"), ("plants", "defuses")
    ),
    Mode.OVERLOAD: Objective(
        Box("objective", N_("Overloads and device carry time"), "2 3:10"),
        ("overloads", "device_carry_time_s"),
    ),
}
# English words work in every server; Spanish ones too (a form is typed in the server's).
RESULT_WORDS = {
    "w": "win",
    "win": "win",
    "l": "loss",
    "loss": "loss",
    "lose": "loss",
    "d": "draw",
    "draw": "draw",
    "tie": "draw",
    "victoria": "win",
    "derrota": "loss",
    "empate": "draw",
}
_RESULT = re.compile(r"^\s*([a-z]+)\s+(\d+)\s*[-–:]\s*(\d+)\s*$", re.IGNORECASE)
_NUMBERS = re.compile(r"\d+(?::\d{1,2})?")


def boxes(mode: Mode) -> tuple[Box, ...]:
    return (*COMMON_BOXES, OBJECTIVES[mode].box)


def form_fields(mode: Mode) -> frozenset[str]:
    """The stats the form shows, by path: what a person reviewed when they submit it.

    The mode, the gamertag and the weapons are kept as read (`parse`), so not among them.
    """
    player = ("score", "kills", "deaths", "assists", *OBJECTIVES[mode].fields)
    return frozenset(
        ("map", "result", "team_score", "enemy_score", *(f"player.{stat}" for stat in player))
    )


def prefill(match: Match) -> dict[str, str]:
    """The boxes' text for an existing match, so Fix starts from what was saved."""
    stats, player = match.stats, match.stats.player
    first, second = (getattr(player, f) for f in OBJECTIVES[stats.mode].fields)
    names = OBJECTIVES[stats.mode].fields
    return {
        "map": stats.map,
        "result": f"{stats.result.value} {stats.team_score}-{stats.enemy_score}",
        "score": str(player.score),
        "kda": f"{player.kills}/{player.deaths}/{player.assists}",
        "objective": f"{_show(names[0], first)} {_show(names[1], second)}",
    }


def parse(mode: Mode, values: Mapping[str, str], *, keep: Match | None = None) -> dict[str, Any]:
    """Raw stats from the boxes; InvalidMatchStats naming every box that can't be read."""
    problems: list[str] = []
    result = _parse_result(values.get("result", ""), problems)
    score = _numbers(values.get("score", ""), 1, _("Your score"), problems)
    kda = _numbers(values.get("kda", ""), 3, _("Kills / deaths / assists"), problems)
    objective = OBJECTIVES[mode]
    extra = _numbers(values.get("objective", ""), 2, _(objective.box.label), problems)
    if problems:
        raise InvalidMatchStats(problems, lead=N_("Some boxes can't be read"))
    player: dict[str, Any] = {
        "score": score[0],
        "kills": kda[0],
        "deaths": kda[1],
        "assists": kda[2],
        objective.fields[0]: extra[0],
        objective.fields[1]: extra[1],
    }
    if keep and keep.stats.player.gamertag:
        player["gamertag"] = keep.stats.player.gamertag
    word, team, enemy = result
    return {
        "mode": mode.value,
        "map": values.get("map", "").strip(),
        "result": word,
        "team_score": team,
        "enemy_score": enemy,
        "player": player,
        # A correction edits the scoreboard; the weapons read from the screenshot stay.
        "weapons": [w.model_dump() for w in keep.stats.weapons] if keep else [],
    }


def _parse_result(text: str, problems: list[str]) -> tuple[str, int, int]:
    found = _RESULT.match(text)
    word = RESULT_WORDS.get(found.group(1).lower()) if found else None
    if not found or word is None:
        problems.append(_("Result and score: write it like `win 250-187` (win, loss or draw)"))
        return ("", 0, 0)
    return (word, int(found.group(2)), int(found.group(3)))


def _numbers(text: str, count: int, label: str, problems: list[str]) -> list[int]:
    found = _NUMBERS.findall(text)
    if len(found) != count:
        problems.append(
            _("{label}: write {numbers}", label=label, numbers=counted(count, "number"))
        )
        return [0] * count
    return [_seconds(value) for value in found]


def _seconds(value: str) -> int:
    if ":" in value:
        minutes, seconds = value.split(":")
        return int(minutes) * 60 + int(seconds)
    return int(value)


def _show(field: str, value: int) -> str:
    return f"{value // 60}:{value % 60:02d}" if field.endswith("_s") else str(value)
