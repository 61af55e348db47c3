"""Draw BO7-style end-of-match screenshots with Pillow's built-in font.

Names are drawn exactly as the manifest's answers spell them, so an answer is
literally what its screenshot shows.

The built-in font is bundled with Pillow (no download, same glyphs everywhere), but it
only covers ASCII, so every string drawn is checked for that.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from devtools.samples.matches import YOU, Mode, PlayerLine, Result, SampleMatch

WIDTH, HEIGHT = 1920, 1080
LEFT, RIGHT = 80, 1840

Color = tuple[int, int, int]
BACKGROUND: Color = (14, 18, 26)
ROW: Color = (24, 30, 42)
ROW_ALT: Color = (30, 37, 51)
YOU_ROW: Color = (84, 70, 22)
YOU_ACCENT: Color = (245, 200, 40)
ALLY: Color = (40, 110, 200)
ENEMY: Color = (196, 62, 52)
TEXT: Color = (236, 239, 244)
MUTED: Color = (150, 160, 176)
RESULT_COLORS: dict[Result, Color] = {
    "win": (72, 200, 112),
    "loss": (226, 72, 62),
    "draw": (200, 200, 200),
}
RESULT_WORDS: dict[Result, str] = {"win": "VICTORY", "loss": "DEFEAT", "draw": "DRAW"}
MODE_TITLES: dict[Mode, str] = {
    "hardpoint": "HARDPOINT",
    "search_and_destroy": "SEARCH & DESTROY",
    "overload": "OVERLOAD",
}


@dataclass(frozen=True)
class Column:
    """A mode-specific scoreboard column; ``seconds`` columns are shown as m:ss."""

    title: str
    stat: str
    seconds: bool = False

    def cell(self, player: PlayerLine) -> str:
        value = player.mode_stats[self.stat]
        return f"{value // 60}:{value % 60:02d}" if self.seconds else str(value)


MODE_COLUMNS: dict[Mode, tuple[Column, Column]] = {
    "hardpoint": (
        Column("OBJ TIME", "objective_time_s", seconds=True),
        Column("CAPTURES", "captures"),
    ),
    "search_and_destroy": (Column("PLANTS", "plants"), Column("DEFUSES", "defuses")),
    "overload": (
        Column("OVERLOADS", "overloads"),
        Column("CARRY TIME", "device_carry_time_s", seconds=True),
    ),
}

# Centre x of each numeric scoreboard column: SCORE, K, D, A, then the two mode columns.
SCOREBOARD_COLUMN_X = (900, 1080, 1220, 1360, 1540, 1720)
ROW_HEIGHT = 72
TEAM_BAR_HEIGHT = 44


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    *,
    size: int,
    fill: Color = TEXT,
    anchor: str = "lm",
) -> None:
    if not text.isascii():
        raise ValueError(f"Pillow's built-in font has no glyphs for {text!r}; use ASCII")
    draw.text(xy, text, font=_font(size), fill=fill, anchor=anchor)


def render_scoreboard(match: SampleMatch) -> Image.Image:
    """The end-of-match scoreboard: header, both teams' rows, "you" highlighted."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _header(draw, match, title=MODE_TITLES[match.mode], subtitle=match.map)
    _team_score(draw, match)
    titles = ("SCORE", "K", "D", "A", *(column.title for column in MODE_COLUMNS[match.mode]))
    for x, title in zip(SCOREBOARD_COLUMN_X, titles, strict=True):
        _text(draw, (x, 250), title, size=24, fill=MUTED, anchor="mm")
    _text(draw, (140, 250), "PLAYER", size=24, fill=MUTED)
    _team(draw, match, match.allies, top=280, label="YOUR TEAM", color=ALLY)
    _team(draw, match, match.enemies, top=650, label="ENEMY TEAM", color=ENEMY)
    footer = "RANKED PLAY  |  MATCH COMPLETE"
    _text(draw, (WIDTH // 2, 1036), footer, size=24, fill=MUTED, anchor="mm")
    return image


def _header(draw: ImageDraw.ImageDraw, match: SampleMatch, *, title: str, subtitle: str) -> None:
    _text(draw, (LEFT, 48), "CALL OF DUTY  BLACK OPS 7", size=24, fill=MUTED)
    _text(draw, (LEFT, 108), title, size=60)
    _text(draw, (LEFT, 168), subtitle, size=34, fill=MUTED)
    word, color = RESULT_WORDS[match.result], RESULT_COLORS[match.result]
    _text(draw, (RIGHT, 112), word, size=76, fill=color, anchor="rm")


def _team_score(draw: ImageDraw.ImageDraw, match: SampleMatch) -> None:
    centre = WIDTH // 2 + 60
    _text(draw, (centre - 50, 112), str(match.team_score), size=104, fill=ALLY, anchor="rm")
    _text(draw, (centre, 112), "-", size=104, fill=MUTED, anchor="mm")
    _text(draw, (centre + 50, 112), str(match.enemy_score), size=104, fill=ENEMY, anchor="lm")


def _team(
    draw: ImageDraw.ImageDraw,
    match: SampleMatch,
    players: Sequence[PlayerLine],
    *,
    top: int,
    label: str,
    color: Color,
) -> None:
    draw.rectangle((LEFT, top, RIGHT, top + TEAM_BAR_HEIGHT), fill=color)
    _text(draw, (LEFT + 24, top + TEAM_BAR_HEIGHT // 2), label, size=26)
    columns = MODE_COLUMNS[match.mode]
    for index, player in enumerate(players):
        row_top = top + TEAM_BAR_HEIGHT + index * ROW_HEIGHT
        counts = (player.score, player.kills, player.deaths, player.assists)
        cells = (*map(str, counts), *(column.cell(player) for column in columns))
        _row(draw, row_top, player.gamertag, cells, alternate=index % 2 == 1)


def _row(
    draw: ImageDraw.ImageDraw, top: int, gamertag: str, cells: Sequence[str], *, alternate: bool
) -> None:
    is_you = gamertag == YOU
    fill = YOU_ROW if is_you else ROW_ALT if alternate else ROW
    draw.rectangle((LEFT, top, RIGHT, top + ROW_HEIGHT - 1), fill=fill)
    if is_you:
        draw.rectangle((LEFT, top, LEFT + 9, top + ROW_HEIGHT - 1), fill=YOU_ACCENT)
    middle = top + ROW_HEIGHT // 2
    _text(draw, (140, middle), gamertag, size=32, fill=YOU_ACCENT if is_you else TEXT)
    for x, cell in zip(SCOREBOARD_COLUMN_X, cells, strict=True):
        _text(draw, (x, middle), cell, size=32, anchor="mm")


WEAPON_ROW_HEIGHT = 96
BAR_LEFT, BAR_RIGHT = 1560, RIGHT - 24


def render_weapons(match: SampleMatch) -> Image.Image:
    """The weapons summary: kills, headshots and accuracy per weapon used."""
    if not match.weapons:
        raise ValueError(f"{match.slug} has no weapons to draw")
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    subtitle = f"{MODE_TITLES[match.mode]}  |  {match.map}"
    _header(draw, match, title="WEAPONS", subtitle=subtitle)
    _text(draw, (140, 270), "WEAPON", size=24, fill=MUTED)
    for x, title in ((1000, "KILLS"), (1200, "HEADSHOTS"), (1400, "ACCURACY")):
        _text(draw, (x, 270), title, size=24, fill=MUTED, anchor="mm")
    for index, weapon in enumerate(match.weapons):
        top = 310 + index * WEAPON_ROW_HEIGHT
        fill = ROW_ALT if index % 2 else ROW
        draw.rectangle((LEFT, top, RIGHT, top + WEAPON_ROW_HEIGHT - 9), fill=fill)
        middle = top + (WEAPON_ROW_HEIGHT - 8) // 2
        _text(draw, (140, middle), weapon.name, size=36)
        _text(draw, (1000, middle), str(weapon.kills), size=36, anchor="mm")
        _text(draw, (1200, middle), str(weapon.headshots), size=36, anchor="mm")
        _text(draw, (1400, middle), f"{weapon.accuracy:.1f}%", size=36, anchor="mm")
        _accuracy_bar(draw, middle, weapon.accuracy)
    return image


def _accuracy_bar(draw: ImageDraw.ImageDraw, middle: int, accuracy: float) -> None:
    draw.rectangle((BAR_LEFT, middle - 8, BAR_RIGHT, middle + 8), fill=BACKGROUND)
    filled = BAR_LEFT + round((BAR_RIGHT - BAR_LEFT) * accuracy / 100)
    draw.rectangle((BAR_LEFT, middle - 8, filled, middle + 8), fill=YOU_ACCENT)
