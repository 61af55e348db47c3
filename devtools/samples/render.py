"""Draw BO7-style end-of-match screenshots with Pillow's built-in font.

Names are drawn exactly as the manifest's answers spell them, so an answer is
literally what its screenshot shows.

The built-in font is bundled with Pillow (no download, same glyphs everywhere), but it
only covers ASCII, so every string drawn is checked for that.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

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
class Canvas:
    """Where the 1920x1080 layout lands: scaled by ``scale``, moved by ``left``/``top``.

    The default is the samples' own 1920x1080; the generator of varied scoreboards
    (`devtools.samples.scoreboards`) draws the same layout at other sizes and aspects.
    """

    width: int = WIDTH
    height: int = HEIGHT
    scale: float = 1.0
    left: int = 0
    top: int = 0
    # Which player's row is highlighted ("you").
    you: str = YOU
    background: Color = field(default=BACKGROUND)

    def x(self, value: int) -> int:
        return self.left + round(value * self.scale)

    def y(self, value: int) -> int:
        return self.top + round(value * self.scale)

    def xy(self, x: int, y: int) -> tuple[int, int]:
        return self.x(x), self.y(y)

    def box(self, x0: int, y0: int, x1: int, y1: int) -> tuple[int, int, int, int]:
        return self.x(x0), self.y(y0), self.x(x1), self.y(y1)

    def size(self, value: int) -> int:
        return max(1, round(value * self.scale))


SAMPLE_CANVAS = Canvas()


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


class _Painter:
    """Draws in the 1920x1080 layout's coordinates onto a canvas of any size."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.image = Image.new("RGB", (canvas.width, canvas.height), canvas.background)
        self._draw = ImageDraw.Draw(self.image)

    def text(
        self,
        xy: tuple[int, int],
        text: str,
        *,
        size: int,
        fill: Color = TEXT,
        anchor: str = "lm",
    ) -> None:
        if not text.isascii():
            raise ValueError(f"Pillow's built-in font has no glyphs for {text!r}; use ASCII")
        font = _font(self.canvas.size(size))
        self._draw.text(self.canvas.xy(*xy), text, font=font, fill=fill, anchor=anchor)

    def rectangle(self, box: tuple[int, int, int, int], fill: Color) -> None:
        self._draw.rectangle(self.canvas.box(*box), fill=fill)


def render_scoreboard(match: SampleMatch, canvas: Canvas = SAMPLE_CANVAS) -> Image.Image:
    """The end-of-match scoreboard: header, both teams' rows, "you" highlighted."""
    paint = _Painter(canvas)
    _header(paint, match, title=MODE_TITLES[match.mode], subtitle=match.map)
    _team_score(paint, match)
    titles = ("SCORE", "K", "D", "A", *(column.title for column in MODE_COLUMNS[match.mode]))
    for x, title in zip(SCOREBOARD_COLUMN_X, titles, strict=True):
        paint.text((x, 250), title, size=24, fill=MUTED, anchor="mm")
    paint.text((140, 250), "PLAYER", size=24, fill=MUTED)
    _team(paint, match, match.allies, top=280, label="YOUR TEAM", color=ALLY)
    _team(paint, match, match.enemies, top=650, label="ENEMY TEAM", color=ENEMY)
    footer = "RANKED PLAY  |  MATCH COMPLETE"
    paint.text((WIDTH // 2, 1036), footer, size=24, fill=MUTED, anchor="mm")
    return paint.image


def _header(paint: _Painter, match: SampleMatch, *, title: str, subtitle: str) -> None:
    paint.text((LEFT, 48), "CALL OF DUTY  BLACK OPS 7", size=24, fill=MUTED)
    paint.text((LEFT, 108), title, size=60)
    paint.text((LEFT, 168), subtitle, size=34, fill=MUTED)
    word, color = RESULT_WORDS[match.result], RESULT_COLORS[match.result]
    paint.text((RIGHT, 112), word, size=76, fill=color, anchor="rm")


def _team_score(paint: _Painter, match: SampleMatch) -> None:
    centre = WIDTH // 2 + 60
    paint.text((centre - 50, 112), str(match.team_score), size=104, fill=ALLY, anchor="rm")
    paint.text((centre, 112), "-", size=104, fill=MUTED, anchor="mm")
    paint.text((centre + 50, 112), str(match.enemy_score), size=104, fill=ENEMY, anchor="lm")


def _team(
    paint: _Painter,
    match: SampleMatch,
    players: Sequence[PlayerLine],
    *,
    top: int,
    label: str,
    color: Color,
) -> None:
    paint.rectangle((LEFT, top, RIGHT, top + TEAM_BAR_HEIGHT), fill=color)
    paint.text((LEFT + 24, top + TEAM_BAR_HEIGHT // 2), label, size=26)
    columns = MODE_COLUMNS[match.mode]
    for index, player in enumerate(players):
        row_top = top + TEAM_BAR_HEIGHT + index * ROW_HEIGHT
        counts = (player.score, player.kills, player.deaths, player.assists)
        cells = (*map(str, counts), *(column.cell(player) for column in columns))
        is_you = player.gamertag == paint.canvas.you
        _row(paint, row_top, player.gamertag, cells, is_you=is_you, alternate=index % 2 == 1)


def _row(
    paint: _Painter,
    top: int,
    gamertag: str,
    cells: Sequence[str],
    *,
    is_you: bool,
    alternate: bool,
) -> None:
    fill = YOU_ROW if is_you else ROW_ALT if alternate else ROW
    paint.rectangle((LEFT, top, RIGHT, top + ROW_HEIGHT - 1), fill=fill)
    if is_you:
        paint.rectangle((LEFT, top, LEFT + 9, top + ROW_HEIGHT - 1), fill=YOU_ACCENT)
    middle = top + ROW_HEIGHT // 2
    paint.text((140, middle), gamertag, size=32, fill=YOU_ACCENT if is_you else TEXT)
    for x, cell in zip(SCOREBOARD_COLUMN_X, cells, strict=True):
        paint.text((x, middle), cell, size=32, anchor="mm")


WEAPON_ROW_HEIGHT = 96
BAR_LEFT, BAR_RIGHT = 1560, RIGHT - 24


def render_weapons(match: SampleMatch, canvas: Canvas = SAMPLE_CANVAS) -> Image.Image:
    """The weapons summary: kills, headshots and accuracy per weapon used."""
    if not match.weapons:
        raise ValueError(f"{match.slug} has no weapons to draw")
    paint = _Painter(canvas)
    subtitle = f"{MODE_TITLES[match.mode]}  |  {match.map}"
    _header(paint, match, title="WEAPONS", subtitle=subtitle)
    paint.text((140, 270), "WEAPON", size=24, fill=MUTED)
    for x, title in ((1000, "KILLS"), (1200, "HEADSHOTS"), (1400, "ACCURACY")):
        paint.text((x, 270), title, size=24, fill=MUTED, anchor="mm")
    for index, weapon in enumerate(match.weapons):
        top = 310 + index * WEAPON_ROW_HEIGHT
        fill = ROW_ALT if index % 2 else ROW
        paint.rectangle((LEFT, top, RIGHT, top + WEAPON_ROW_HEIGHT - 9), fill=fill)
        middle = top + (WEAPON_ROW_HEIGHT - 8) // 2
        paint.text((140, middle), weapon.name, size=36)
        paint.text((1000, middle), str(weapon.kills), size=36, anchor="mm")
        paint.text((1200, middle), str(weapon.headshots), size=36, anchor="mm")
        paint.text((1400, middle), f"{weapon.accuracy:.1f}%", size=36, anchor="mm")
        _accuracy_bar(paint, middle, weapon.accuracy)
    return paint.image


def _accuracy_bar(paint: _Painter, middle: int, accuracy: float) -> None:
    paint.rectangle((BAR_LEFT, middle - 8, BAR_RIGHT, middle + 8), fill=BACKGROUND)
    filled = BAR_LEFT + round((BAR_RIGHT - BAR_LEFT) * accuracy / 100)
    paint.rectangle((BAR_LEFT, middle - 8, filled, middle + 8), fill=YOU_ACCENT)
