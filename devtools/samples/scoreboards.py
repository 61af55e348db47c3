"""Varied BO7-style scoreboards, for measuring and testing the on-device reader.

The five bundled samples are one resolution, one quality and one set of names. Here a seeded
random source draws matches of every mode with values a real scoreboard can show (the game
model's limits and consistency rules hold, so a generated answer also validates), then
renders them the way players capture them: 720p, 1080p or 1440p, 16:9 or ultrawide (the
layout stays 16:9 in the middle, as menus do), random gamertags with digits and underscores,
long names, zeros and three-digit values, the player's row anywhere in their team, a weapons
screen for some, then a slight crop, a slight rescale and JPEG at quality 40 to 95.

`generate(seed, count)` is deterministic: the same seed gives the same images and answers.
"""

from __future__ import annotations

import functools
import io
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PIL import Image

from app.core.game.rules import MODE_RULES
from app.core.game.rules import Mode as GameMode
from app.shared.catalog.loader import load_catalog
from devtools.samples.matches import Mode, PlayerLine, Result, SampleMatch, WeaponLine
from devtools.samples.render import HEIGHT, WIDTH, Canvas, render_scoreboard, render_weapons

# (width, height): 16:9 at three sizes, and two ultrawide screens.
RESOLUTIONS = ((1280, 720), (1920, 1080), (2560, 1440), (2560, 1080), (3440, 1440))
MODES: tuple[Mode, ...] = ("hardpoint", "search_and_destroy", "overload")
TEAM_SIZE = 4
MAX_CROP = 0.015  # of each side
RESCALE = (0.9, 1.1)
JPEG_QUALITY = (40, 95)
WEAPONS_SHARE = 0.5
_NAME_PARTS = (
    "Ghost", "viper", "Nova", "kaiju", "Rex", "shadow", "Blaze", "frost", "Zero", "hex",
    "Raven", "atlas", "Onyx", "drift", "Sable", "wolf", "Nyx", "ember", "Pixel", "storm",
)  # fmt: skip
_UNKNOWN_WEAPONS = ("Varga R7", "Kestrel 9", "Hollow SMG", "Brisk 556", "TR-41 Lynx")


@dataclass(frozen=True)
class Screen:
    kind: str  # "scoreboard" or "weapons"
    data: bytes
    mime_type: str
    width: int
    height: int


@dataclass(frozen=True)
class GeneratedScoreboard:
    """One generated match: its screenshots (scoreboard first), the stats they show and the
    scoreboard's other rows (``lobby``, as a reader returns them in ``Extraction.lobby``)."""

    index: int
    match: SampleMatch
    you: str
    screens: tuple[Screen, ...]
    answer: dict[str, Any]
    description: str
    lobby: tuple[dict[str, Any], ...] = ()


def generate(seed: int, count: int) -> Iterator[GeneratedScoreboard]:
    """``count`` scoreboards from ``seed``; each draws from its own seeded random source,
    so the first n of a larger set are the same n."""
    for index in range(count):
        yield generate_one(seed, index)


def generate_one(seed: int, index: int) -> GeneratedScoreboard:
    rng = random.Random(f"{seed}:{index}")  # noqa: S311  # test data, not secrets
    match, you = random_match(rng, slug=f"generated_{seed}_{index}")
    width, height = rng.choice(RESOLUTIONS)
    canvas = _canvas(width, height, you)
    quality = rng.randint(*JPEG_QUALITY)
    images = [("scoreboard", render_scoreboard(match, canvas))]
    if match.weapons:
        images.append(("weapons", render_weapons(match, canvas)))
    screens = tuple(_captured(kind, image, rng, quality) for kind, image in images)
    answer = match_answer(match, you)
    description = f"{match.mode} {width}x{height} q{quality} weapons={bool(match.weapons)}"
    lobby = tuple(match.lobby(you))
    return GeneratedScoreboard(index, match, you, screens, answer, description, lobby)


def match_answer(match: SampleMatch, you: str) -> dict[str, Any]:
    """The raw stats the reader should return, in the game model's raw shape."""
    player = next(line for line in match.allies if line.gamertag == you)
    return {
        "mode": match.mode,
        "map": match.map,
        "result": match.result,
        "team_score": match.team_score,
        "enemy_score": match.enemy_score,
        "player": player.as_stats(),
        "weapons": [weapon.as_stats() for weapon in match.weapons],
    }


def _canvas(width: int, height: int, you: str) -> Canvas:
    scale = height / HEIGHT
    return Canvas(width, height, scale=scale, left=round((width - WIDTH * scale) / 2), you=you)


def _captured(kind: str, image: Image.Image, rng: random.Random, quality: int) -> Screen:
    """The image as a player's capture: slightly cropped and rescaled, JPEG-compressed."""
    width, height = image.size
    left, right = (round(width * rng.uniform(0, MAX_CROP)) for _ in range(2))
    top, bottom = (round(height * rng.uniform(0, MAX_CROP)) for _ in range(2))
    image = image.crop((left, top, width - right, height - bottom))
    factor = rng.uniform(*RESCALE)
    size = (round(image.width * factor), round(image.height * factor))
    image = image.resize(size, Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return Screen(kind, buffer.getvalue(), "image/jpeg", image.width, image.height)


def random_match(rng: random.Random, *, slug: str) -> tuple[SampleMatch, str]:
    """A match whose numbers the game model accepts, and the gamertag of its player."""
    mode = rng.choice(MODES)
    team_score, enemy_score, result = _scores(rng, mode)
    names = _gamertags(rng, 2 * TEAM_SIZE)
    allies = tuple(_player(rng, mode, name, team_score, enemy_score) for name in names[:4])
    enemies = tuple(_player(rng, mode, name, enemy_score, team_score) for name in names[4:])
    if mode == "overload":
        allies, enemies = (
            _spread_overloads(rng, allies, team_score),
            _spread_overloads(rng, enemies, enemy_score),
        )
    you = rng.choice(allies)
    weapons = _weapons(rng, you.kills) if rng.random() < WEAPONS_SHARE else ()
    match = SampleMatch(
        slug=slug,
        mode=mode,
        map=rng.choice(_maps()),
        result=result,
        team_score=team_score,
        enemy_score=enemy_score,
        allies=allies,
        enemies=enemies,
        weapons=weapons,
    )
    return match, you.gamertag


def _scores(rng: random.Random, mode: Mode) -> tuple[int, int, Result]:
    limit = MODE_RULES[GameMode(mode)].score_limit
    if mode == "hardpoint" and rng.random() < 0.05:
        level = rng.randint(0, limit - 1)
        return level, level, "draw"
    winner, loser = limit, rng.randint(0, limit - 1)
    if rng.random() < 0.5:
        return winner, loser, "win"
    return loser, winner, "loss"


def _count(rng: random.Random, typical: int, limit: int) -> int:
    """Mostly around ``typical``, sometimes zero, sometimes near ``limit``."""
    roll = rng.random()
    if roll < 0.08:
        return 0
    if roll < 0.14:
        return rng.randint(max(typical, limit * 3 // 4), limit)
    return min(limit, max(0, round(rng.gauss(typical, typical / 2))))


def _player(rng: random.Random, mode: Mode, name: str, own: int, other: int) -> PlayerLine:
    limits = MODE_RULES[GameMode(mode)].player_limits
    if mode == "search_and_destroy":
        rounds = own + other
        deaths = rng.randint(0, rounds)
        kills = _count(rng, rounds, 4 * rounds)
        assists = rng.randint(0, 4 * rounds - kills)
        plants = rng.randint(0, min(limits["plants"], rounds))
        defuses = rng.randint(0, min(limits["defuses"], rounds - plants))
        stats = {"plants": plants, "defuses": defuses}
    else:
        kills = _count(rng, 22, limits["kills"])
        deaths = _count(rng, 22, limits["deaths"])
        assists = _count(rng, 8, limits["assists"])
        if mode == "hardpoint":
            stats = {
                "objective_time_s": _count(rng, 90, limits["objective_time_s"]),
                "captures": _count(rng, 3, limits["captures"]),
            }
        else:
            stats = {"overloads": 0, "device_carry_time_s": _count(rng, 80, 900)}
    score = _count(rng, 4000, limits["score"])
    return PlayerLine(name, score, kills, deaths, assists, stats)


def _spread_overloads(
    rng: random.Random, players: tuple[PlayerLine, ...], points: int
) -> tuple[PlayerLine, ...]:
    """A team's overloads are its points, shared among its players."""
    shares = [0] * len(players)
    for _ in range(points):
        shares[rng.randrange(len(players))] += 1
    return tuple(
        PlayerLine(
            p.gamertag, p.score, p.kills, p.deaths, p.assists, {**p.mode_stats, "overloads": n}
        )
        for p, n in zip(players, shares, strict=True)
    )


def _gamertags(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add(_gamertag(rng))
    return rng.sample(sorted(names), count)


def _gamertag(rng: random.Random) -> str:
    """Words, digits and underscores, 3 to 20 characters: a mix real tags show."""
    parts = [rng.choice(_NAME_PARTS) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        parts = [part.upper() if rng.random() < 0.5 else part.lower() for part in parts]
    digits = "".join(rng.choices(string.digits, k=rng.randint(0, 4)))
    joiner = rng.choice(("", "_", ""))
    name = joiner.join(parts) + rng.choice(("", "_")) + digits
    if rng.random() < 0.2:
        name = "_" + name if rng.random() < 0.5 else name + "_"
    return name[:20] if len(name) >= 3 else name + "_" + "7" * (3 - len(name))


def _weapons(rng: random.Random, player_kills: int) -> tuple[WeaponLine, ...]:
    names = rng.sample(_weapon_names(), rng.randint(1, 5))
    left = player_kills
    lines = []
    for name in names:
        kills = rng.randint(0, left)
        left -= kills
        headshots = rng.randint(0, kills)
        accuracy = round(rng.uniform(0, 100) if rng.random() < 0.1 else rng.uniform(8, 45), 1)
        lines.append(WeaponLine(name, kills, headshots, accuracy))
    return tuple(lines)


@functools.cache
def _weapon_names() -> list[str]:
    known = [entry.name for entry in load_catalog().weapons if entry.name.isascii()]
    return [*known, *_UNKNOWN_WEAPONS]


@functools.cache
def _maps() -> list[str]:
    # Every map, in the ranked pool or not: a map is read as printed either way.
    return [entry.name for entry in load_catalog().maps if entry.name.isascii()]
