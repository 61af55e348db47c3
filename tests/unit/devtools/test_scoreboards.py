"""The generator of varied scoreboards: deterministic, valid, and as varied as it says."""

from __future__ import annotations

import io
import random

from PIL import Image

from app.core.game import validate_extraction
from devtools.samples.scoreboards import MODES, generate_one, match_answer, random_match

DRAWN = 400


def drawn() -> list[tuple[dict[str, object], int]]:
    """Many matches without rendering them: the answer, and where the player's row is."""
    found = []
    for index in range(DRAWN):
        match, you = random_match(random.Random(index), slug=f"m{index}")
        position = [line.gamertag for line in match.allies].index(you)
        found.append((match_answer(match, you), position))
    return found


def test_every_generated_answer_is_a_match_the_game_model_accepts() -> None:
    for answer, _ in drawn():
        validate_extraction(answer)


def test_the_matches_cover_every_mode_position_and_the_extreme_values() -> None:
    answers = drawn()
    players = [answer["player"] for answer, _ in answers]
    assert {answer["mode"] for answer, _ in answers} == set(MODES)
    assert {position for _, position in answers} == {0, 1, 2, 3}
    assert any(player["kills"] == 0 for player in players)  # type: ignore[index]
    assert any(player["kills"] >= 100 for player in players)  # type: ignore[index]
    tags = [str(player["gamertag"]) for player in players]  # type: ignore[index]
    assert any(len(tag) >= 16 for tag in tags)
    assert any("_" in tag for tag in tags) and any(c.isdigit() for tag in tags for c in tag)
    assert any(answer["weapons"] for answer, _ in answers)
    assert any(not answer["weapons"] for answer, _ in answers)


def test_the_same_seed_gives_the_same_screenshots_and_another_seed_others() -> None:
    first, again, other = generate_one(3, 5), generate_one(3, 5), generate_one(4, 5)

    assert [s.data for s in first.screens] == [s.data for s in again.screens]
    assert first.answer == again.answer
    assert first.screens[0].data != other.screens[0].data


def test_a_screenshot_is_a_jpeg_of_the_size_it_says_with_the_weapons_screen_when_shown() -> None:
    generated = generate_one(3, 5)

    for screen in generated.screens:
        with Image.open(io.BytesIO(screen.data)) as image:
            assert (image.format, image.size) == ("JPEG", (screen.width, screen.height))
    kinds = [screen.kind for screen in generated.screens]
    assert kinds == (["scoreboard", "weapons"] if generated.answer["weapons"] else ["scoreboard"])
