"""The scoreboard's other rows (`Extraction.lobby`), validated one by one against the match.

A row is untrusted: the reader may have misread a cell, or left it null. Each row is checked
as a whole match seen from that player's side (the same models and limits as the uploader's
own stats), and a row that fails is dropped on its own: another player's bad row never costs
the uploader their match, nor a squad mate theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.core.game.errors import InvalidMatchStats
from app.core.game.modes import MatchStats
from app.core.game.rules import Result
from app.core.game.validation import validate_extraction

logger = logging.getLogger(__name__)

# 6v6 less the uploader: a reading with more rows is not one scoreboard, and is cut there.
MAX_LOBBY_ROWS = 11
_FLIPPED = {Result.WIN: Result.LOSS, Result.LOSS: Result.WIN, Result.DRAW: Result.DRAW}


class Team(StrEnum):
    """Which side of the uploader a row played on."""

    ALLY = "ally"
    ENEMY = "enemy"


@dataclass(frozen=True, slots=True)
class LobbyRow:
    """One other player's match, as their own: scores and result seen from their side."""

    gamertag: str
    team: Team
    stats: MatchStats


def lobby_rows(match: MatchStats, raw_rows: Iterable[object]) -> list[LobbyRow]:
    """The rows that validate as `match` seen from their side; the others are dropped."""
    rows: list[LobbyRow] = []
    for position, raw in enumerate(raw_rows):
        if position >= MAX_LOBBY_ROWS:
            logger.info("lobby of more than %d rows: the rest dropped", MAX_LOBBY_ROWS)
            break
        row = lobby_row(match, raw)
        if row is not None:
            rows.append(row)
    return rows


def lobby_row(match: MatchStats, raw: object) -> LobbyRow | None:
    """`raw` as that player's match, or None when it is not a valid row of this scoreboard."""
    if not isinstance(raw, Mapping):
        return None
    gamertag, team = raw.get("gamertag"), _team(raw.get("team"))
    if not isinstance(gamertag, str) or not gamertag.strip() or team is None:
        return None
    try:
        stats = validate_extraction(as_their_match(match, team, raw))
    except InvalidMatchStats as invalid:
        # Only which fields: the values are another player's and stay out of the logs.
        logger.info("lobby row dropped: %d problems", len(invalid.problems))
        return None
    return LobbyRow(gamertag=gamertag.strip(), team=team, stats=stats)


def storable_rows(match: MatchStats, raw_rows: Iterable[object]) -> list[dict[str, Any]]:
    """The rows that validate, in the row contract's shape with only validated fields: what
    an upload keeps until its captures are done, read back by `lobby_rows` as they were."""
    return [
        {
            **row.stats.player.model_dump(mode="json", exclude_none=True),
            "gamertag": row.gamertag,
            "team": row.team.value,
        }
        for row in lobby_rows(match, raw_rows)
    ]


def as_their_match(match: MatchStats, team: Team, row: Mapping[str, Any]) -> dict[str, Any]:
    """The raw shape of the match as the row's player saw it: an enemy's scores and result
    are the uploader's turned round; null cells are left out (a required one then fails)."""
    enemy = team is Team.ENEMY
    player = {key: value for key, value in row.items() if key != "team" and value is not None}
    return {
        "mode": match.mode.value,
        "map": match.map,
        "result": (_FLIPPED[match.result] if enemy else match.result).value,
        "team_score": match.enemy_score if enemy else match.team_score,
        "enemy_score": match.team_score if enemy else match.enemy_score,
        "player": player,
        "weapons": [],
    }


def _team(value: object) -> Team | None:
    try:
        return Team(value) if isinstance(value, str) else None
    except ValueError:
        return None
