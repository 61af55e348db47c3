"""The end-of-match scoreboard: its header (mode, map, result, score), the player's row and
every other row (the lobby).

Layout, top to bottom: the mode as a title with the map under it, the two team scores and
the result word across the top; a line of column titles; then a line per player under each
team's bar. The player is the one whose row is highlighted: the row whose colours (its band
and its name's ink) stand out from every other row's. Every other row is an ally when it is
under the same team bar as the player's, an enemy otherwise.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.shared.local_reader.boxes import Color, Line, TextBox, split_box
from app.shared.local_reader.cells import best_word, count, seconds
from app.shared.local_reader.columns import Table, cells_of, find_table

MODE_TITLES = {
    "HARDPOINT": "hardpoint",
    "SEARCH & DESTROY": "search_and_destroy",
    "SEARCH AND DESTROY": "search_and_destroy",
    "OVERLOAD": "overload",
}
NAME_TITLE = {"PLAYER": "gamertag"}
RESULT_WORDS = {"VICTORY": "win", "DEFEAT": "loss", "DRAW": "draw"}
COLUMN_TITLES = {
    "SCORE": "score",
    "K": "kills",
    "D": "deaths",
    "A": "assists",
    "OBJ TIME": "objective_time_s",
    "CAPTURES": "captures",
    "PLANTS": "plants",
    "DEFUSES": "defuses",
    "OVERLOADS": "overloads",
    "CARRY TIME": "device_carry_time_s",
}
MODE_OF_COLUMN = {
    "objective_time_s": "hardpoint",
    "captures": "hardpoint",
    "plants": "search_and_destroy",
    "defuses": "search_and_destroy",
    "overloads": "overload",
    "device_carry_time_s": "overload",
}
TIME_FIELDS = frozenset({"objective_time_s", "device_carry_time_s"})
REQUIRED_COLUMNS = frozenset({"score", "kills", "deaths"})
# The label on each team's bar: where the rows of the next team start.
TEAM_BARS = ("YOUR TEAM", "ENEMY TEAM")
# Without a bar's label, a gap between two rows this many times the usual one is the bar.
TEAM_GAP = 1.5
# Every row but the player's own of the largest lobby, 6 against 6.
MAX_LOBBY_ROWS = 11
# A highlighted row's colours differ from the others' by at least this (RGB distance).
HIGHLIGHT_CONTRAST = 40.0
_SCORES = re.compile(r"^(\d{1,3})(?:\s*[-–—:~]\s*|\s+)(\d{1,3})$")

# Reads the text in a region (left, top, right, bottom) of the screenshot again, on its own:
# the detector can miss a lone large digit (a score of 4) that the recogniser reads well.
Reread = Callable[[float, float, float, float], str]


@dataclass(frozen=True, slots=True)
class PlayerRow:
    gamertag: str
    cells: dict[str, object]
    band: Color
    ink: Color
    name_box: TextBox


@dataclass(frozen=True, slots=True)
class ScoreboardReading:
    """The raw stats a scoreboard shows, and its other rows (`Extraction.lobby`)."""

    stats: dict[str, Any]
    lobby: list[dict[str, Any]] = field(default_factory=list)


def read_scoreboard(
    lines: Sequence[Line], gamertags: Sequence[str] = (), reread: Reread | None = None
) -> ScoreboardReading | None:
    """What this scoreboard shows, or None when it is not a scoreboard.

    Cells that can't be read are left out: the game model's validation names them. Without
    the player's row there is no lobby either: its teams are the player's allies and enemies."""
    table = find_table(lines, COLUMN_TITLES, REQUIRED_COLUMNS)
    if table is None:
        return None
    above = [line for line in lines if line.centre_y < table.header.centre_y]
    below = [line for line in lines if line.centre_y > table.header.centre_y]
    stats: dict[str, Any] = _header(above, reread)
    mode = _mode(stats.pop("title_mode", None), table)
    if mode is not None:
        stats["mode"] = mode
    rows = _player_rows(below, table)
    named = _named_row(rows, gamertags)
    player = named or _highlighted_row(rows)
    if player is None:
        return ScoreboardReading(stats)
    # A row found by its name was read well enough already; a highlighted one's name is
    # read again from where names start, a little wider.
    gamertag = player.gamertag if named else _whole_name(player, table, reread)
    stats["player"] = {"gamertag": gamertag, **_known(player.cells)}
    return ScoreboardReading(stats, _lobby(rows, player, _team_of_rows(below, rows)))


def _lobby(
    rows: Sequence[PlayerRow], player: PlayerRow, teams: Sequence[int]
) -> list[dict[str, Any]]:
    """Every row but the player's, top to bottom, with its team as the player sees it."""
    own_team = teams[rows.index(player)]
    return [
        {
            "gamertag": row.gamertag,
            "team": "ally" if team == own_team else "enemy",
            **_known(row.cells),
        }
        for row, team in zip(rows, teams, strict=True)
        if row is not player
    ][:MAX_LOBBY_ROWS]


def _team_of_rows(lines: Sequence[Line], rows: Sequence[PlayerRow]) -> list[int]:
    """Which team's block each row is in, counted from the top: each team bar's label starts
    a block; when no label was read, a gap between rows as tall as a bar does."""
    bars = [line.centre_y for line in lines if best_word(line.text, TEAM_BARS) is not None]
    middles = [row.name_box.centre_y for row in rows]
    if bars:
        return [sum(bar < middle for bar in bars) for middle in middles]
    gaps = [below - above for above, below in itertools.pairwise(middles)]
    usual = statistics.median(gaps) if gaps else 0.0
    teams = [0]
    for gap in gaps:
        teams.append(teams[-1] + int(gap > TEAM_GAP * usual))
    return teams[: len(rows)]


def _header(lines: Sequence[Line], reread: Reread | None) -> dict[str, Any]:
    boxes = [box for line in lines for box in line.boxes]
    found: dict[str, Any] = {}
    title = _titled(boxes, MODE_TITLES)
    if title is not None:
        found["title_mode"] = MODE_TITLES[title[1]]
        mapped = _under(title[0], boxes)
        if mapped is not None:
            found["map"] = " ".join(mapped.text.split())
    result = _titled(boxes, RESULT_WORDS)
    if result is not None:
        found["result"] = RESULT_WORDS[result[1]]
    scores = None
    if reread is not None and title is not None and result is not None:
        scores = _scores_between(title[0], result[0], reread)
    if scores is None:
        scores = _scores(_between(boxes, title, result))
    if scores is not None:
        found["team_score"], found["enemy_score"] = scores
    return found


def _scores_between(title: TextBox, result: TextBox, reread: Reread) -> tuple[int, int] | None:
    """The scores read as one region, "8 - 1": between the title and the result word, as tall
    as the taller of the two. Read alone, a large lone digit loses its context: the detector
    may miss it, and the recogniser reads a tight "1" with its flag as a 7."""
    top = min(title.top, result.top) - title.height / 2
    bottom = max(title.bottom, result.bottom) + title.height / 2
    both = _SCORES.match(reread(title.right, top, result.left, bottom).strip())
    return (int(both[1]), int(both[2])) if both is not None else None


def _whole_name(player: PlayerRow, table: Table, reread: Reread | None) -> str:
    """The gamertag read again from where names start, a little wider than the detector's
    box: an underscore at either end of a name sits below the letters and can fall outside
    that box ("_Blaze_wolf_960" read as "Blaze_wolf_960")."""
    if reread is None:
        return player.gamertag
    name, height = player.name_box, player.name_box.height
    starts = min(
        (box.left for box in table.header.boxes if best_word(box.text, NAME_TITLE) is not None),
        default=name.left,
    )
    again = reread(
        min(starts, name.left) - height / 2,
        name.top - height / 4,
        name.right + height,
        name.bottom + height / 4,
    ).replace(" ", "")
    # Only ever the same name with more around it: never another reading of its letters.
    return (
        again
        if player.gamertag in again and again.strip("_") == player.gamertag.strip("_")
        else player.gamertag
    )


def _titled(boxes: Sequence[TextBox], words: dict[str, str]) -> tuple[TextBox, str] | None:
    for box in sorted(boxes, key=lambda b: -b.height):
        word = best_word(box.text, words)
        if word is not None:
            return box, word
    return None


def _under(title: TextBox, boxes: Sequence[TextBox]) -> TextBox | None:
    """The map: the text right under the title, starting where it starts."""
    candidates = [
        box
        for box in boxes
        if box.top >= title.centre_y + title.height / 3
        and abs(box.left - title.left) < title.height
        and box.top - title.bottom < title.height
    ]
    return min(candidates, key=lambda box: box.top, default=None)


def _scores(boxes: Sequence[TextBox]) -> tuple[int, int] | None:
    """The two team scores: the tallest numbers at the top, ours on the left."""
    numbers: list[tuple[TextBox, int]] = []
    for box in boxes:
        both = _SCORES.match(box.text.strip())
        if both is not None:
            return int(both[1]), int(both[2])
        for piece in split_box(box):
            value = count(piece.text) if piece.text.strip() not in {"-", "–"} else None
            if value is not None and piece.text.strip()[:1].isdigit():
                numbers.append((piece, value))
    if len(numbers) < 2:
        return None
    tallest = max(box.height for box, _ in numbers)
    big = sorted((pair for pair in numbers if pair[0].height > 0.6 * tallest), key=_left)
    if len(big) != 2:
        return None
    return big[0][1], big[1][1]


def _between(
    boxes: Sequence[TextBox], title: tuple[TextBox, str] | None, result: tuple[TextBox, str] | None
) -> list[TextBox]:
    """The boxes right of the title and left of the result word (not the map's digits)."""
    left = title[0].right if title is not None else float("-inf")
    right = result[0].left if result is not None else float("inf")
    return [box for box in boxes if box.left >= left and box.right <= right]


def _left(pair: tuple[TextBox, int]) -> float:
    return pair[0].left


def _mode(title_mode: str | None, table: Table) -> str | None:
    """The mode the columns show; the title's when the columns don't say."""
    modes = {MODE_OF_COLUMN[c.field] for c in table.columns if c.field in MODE_OF_COLUMN}
    if len(modes) == 1:
        return modes.pop()
    return title_mode


def _parse_cell(field: str, text: str) -> object:
    return seconds(text) if field in TIME_FIELDS else count(text)


def _player_rows(lines: Sequence[Line], table: Table) -> list[PlayerRow]:
    rows = []
    for line in lines:
        name, cells = cells_of(line, table, _parse_cell)
        numbers = [value for value in cells.values() if value is not None]
        if name and len(numbers) >= len(REQUIRED_COLUMNS):
            name_box = next(box for box in line.boxes if box.centre_x < table.name_right)
            rows.append(
                PlayerRow(name.replace(" ", ""), cells, name_box.background, name_box.ink, name_box)
            )
    return rows


def _named_row(rows: Sequence[PlayerRow], gamertags: Sequence[str]) -> PlayerRow | None:
    """The row showing one of the player's linked names, if one does."""
    if not gamertags:
        return None
    return next((row for row in rows if best_word(row.gamertag, gamertags) is not None), None)


def _highlighted_row(rows: Sequence[PlayerRow]) -> PlayerRow | None:
    if len(rows) < 2:
        return None
    contrast = [(_contrast(row, rows), index) for index, row in enumerate(rows)]
    contrast.sort(reverse=True)
    (best, index), (runner_up, _) = contrast[0], contrast[1]
    if best < HIGHLIGHT_CONTRAST or best < 2 * runner_up:
        return None
    return rows[index]


def _contrast(row: PlayerRow, rows: Sequence[PlayerRow]) -> float:
    """How far this row's band and ink are from the typical row's."""
    others = [other for other in rows if other is not row]
    band = _median_color([other.band for other in others])
    ink = _median_color([other.ink for other in others])
    return _distance(row.band, band) + _distance(row.ink, ink)


def _median_color(colors: Sequence[Color]) -> Color:
    def middle(values: list[int]) -> int:
        return sorted(values)[len(values) // 2]

    return (
        middle([c[0] for c in colors]),
        middle([c[1] for c in colors]),
        middle([c[2] for c in colors]),
    )


def _distance(first: Color, second: Color) -> float:
    return float(sum((a - b) ** 2 for a, b in zip(first, second, strict=True)) ** 0.5)


def _known(cells: dict[str, object]) -> dict[str, object]:
    return {field: value for field, value in cells.items() if value is not None}
