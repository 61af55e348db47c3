"""The local reader's layout parsing, on synthetic OCR boxes: no model, no image."""

from __future__ import annotations

from app.core.game import validate_extraction
from app.shared.local_reader.boxes import Color, TextBox, lines_of, split_box
from app.shared.local_reader.cells import count, percent, seconds
from app.shared.local_reader.screens import ScreenReading, match_lobby, match_stats, read_screen

ROW: Color = (24, 30, 42)
HIGHLIGHT: Color = (84, 70, 22)
WHITE: Color = (236, 239, 244)
YELLOW: Color = (245, 200, 40)
# Column middles of the 1920x1080 layout: score, K, D, A and the two mode columns.
COLUMNS = (900, 1080, 1220, 1360, 1540, 1720)


def box(
    text: str, x: float, y: float, *, size: float = 32, bg: Color = ROW, ink: Color = WHITE
) -> TextBox:
    """A box centred on (x, y), as wide as its text in a font of ``size``."""
    half = len(text) * size * 0.27
    return TextBox(text, x - half, y - size / 2, x + half, y + size / 2, bg, ink)


def left_box(text: str, x: float, y: float, **kwargs: object) -> TextBox:
    centred = box(text, x, y, **kwargs)  # type: ignore[arg-type]
    return TextBox(
        text,
        x,
        centred.top,
        x + centred.width,
        centred.bottom,
        centred.background,
        centred.ink,
    )


def header(title: str, map_name: str, result: str, scores: tuple[str, ...]) -> list[TextBox]:
    boxes = [
        left_box("CALL OF DUTY BLACK OPS 7", 80, 48, size=24),
        left_box(title, 80, 108, size=60),
        left_box(map_name, 80, 168, size=34),
        box(result, 1700, 112, size=76),
    ]
    xs = (930, 1080)[: len(scores)]
    boxes += [box(text, x, 112, size=104) for text, x in zip(scores, xs, strict=True)]
    return boxes


def titles(*mode_titles: str) -> list[TextBox]:
    names = ("SCORE", "K", "D", "A", *mode_titles)
    return [left_box("PLAYER", 140, 250, size=24)] + [
        box(name, x, 250, size=24) for name, x in zip(names, COLUMNS, strict=True)
    ]


def row(y: float, name: str, *cells: str, highlighted: bool = False) -> list[TextBox]:
    band = HIGHLIGHT if highlighted else ROW
    boxes = [left_box(name, 140, y, bg=band, ink=YELLOW if highlighted else WHITE)]
    return boxes + [box(c, x, y, bg=band) for c, x in zip(cells, COLUMNS, strict=True)]


def hardpoint_screen(you_at: int = 0) -> list[TextBox]:
    players = [
        ("NightOwl_77", "7350", "31", "22", "9", "1:52", "4"),
        ("Vexx_TTV", "6820", "27", "24", "11", "1:35", "3"),
        ("dr1ftwood", "5400", "22", "25", "7", "1:04", "2"),
        ("Kaizen_OG", "5010", "19", "23", "12", "2:11", "5"),
    ]
    boxes = header("HARDPOINT", "Den", "VICTORY", ("250", "187"))
    boxes += titles("OBJ TIME", "CAPTURES")
    boxes.append(left_box("YOUR TEAM", 104, 302, size=26))
    for index, player in enumerate(players):
        boxes += row(360 + 72 * index, *player, highlighted=index == you_at)
    boxes.append(left_box("ENEMY TEAM", 104, 672, size=26))
    boxes += row(730, "Phantom_Rx", "6900", "29", "24", "6", "1:18", "3")
    return boxes


def test_a_hardpoint_scoreboard_reads_as_the_raw_stats_the_game_model_validates() -> None:
    reading = read_screen(hardpoint_screen())

    assert reading.scoreboard == {
        "mode": "hardpoint",
        "map": "Den",
        "result": "win",
        "team_score": 250,
        "enemy_score": 187,
        "player": {
            "gamertag": "NightOwl_77",
            "score": 7350,
            "kills": 31,
            "deaths": 22,
            "assists": 9,
            "objective_time_s": 112,
            "captures": 4,
        },
    }
    stats = match_stats([reading])
    assert stats is not None
    assert validate_extraction(stats).player.kills == 31


def test_the_player_is_the_highlighted_row_wherever_it_is() -> None:
    for index, name in enumerate(("NightOwl_77", "Vexx_TTV", "dr1ftwood", "Kaizen_OG")):
        scoreboard = read_screen(hardpoint_screen(you_at=index)).scoreboard
        assert scoreboard is not None
        assert scoreboard["player"]["gamertag"] == name


def test_without_a_highlighted_row_there_is_no_player_rather_than_a_guess() -> None:
    plain = [
        TextBox(b.text, b.left, b.top, b.right, b.bottom, ROW, WHITE) for b in hardpoint_screen()
    ]

    scoreboard = read_screen(plain).scoreboard

    assert scoreboard is not None
    assert "player" not in scoreboard
    assert match_stats([read_screen(plain)]) == {**scoreboard, "weapons": []}


def test_a_known_gamertag_picks_its_row_even_without_a_highlight() -> None:
    plain = [
        TextBox(b.text, b.left, b.top, b.right, b.bottom, ROW, WHITE) for b in hardpoint_screen()
    ]

    scoreboard = read_screen(plain, gamertags=("Someone", "Kaizen_OG")).scoreboard

    assert scoreboard is not None
    assert scoreboard["player"]["kills"] == 19


def test_neighbouring_cells_read_as_one_box_are_split_between_their_columns() -> None:
    boxes = [b for b in hardpoint_screen() if b.centre_y != 360]
    boxes += row(360, "NightOwl_77", "7350", "31", "22", "9", "1:52", "4", highlighted=True)[:2]
    merged_kd = TextBox("31 22", 1050, 344, 1250, 376, HIGHLIGHT, WHITE)
    boxes += [merged_kd, *row(360, "x", "", "", "", "9", "1:52", "4", highlighted=True)[4:]]

    scoreboard = read_screen(boxes).scoreboard

    assert scoreboard is not None
    assert (scoreboard["player"]["kills"], scoreboard["player"]["deaths"]) == (31, 22)


def test_numeric_cells_fold_the_letters_ocr_confuses_with_digits() -> None:
    assert count("1O") == 10
    assert count("l5") == 15
    assert count("S0") == 50
    assert count("7,350") == 7350
    assert count("NightOwl") is None
    assert count("") is None


def test_times_read_with_or_without_their_colon() -> None:
    assert seconds("1:52") == 112
    assert seconds("0:00") == 0
    assert seconds("11:55") == 715
    assert seconds("1.52") == 112
    assert seconds("152") == 112
    assert seconds("1:75") is None
    assert seconds("abc") is None


def test_percentages_keep_their_one_decimal() -> None:
    assert percent("27.5%") == 27.5
    assert percent("100.0%") == 100.0
    assert percent("275%") == 27.5
    assert percent("0.0%") == 0.0
    assert percent("%") is None


def test_team_scores_read_as_one_box_are_split() -> None:
    boxes = [b for b in hardpoint_screen() if b.text not in ("250", "187")]
    boxes.append(box("250 - 187", 1000, 112, size=104))

    scoreboard = read_screen(boxes).scoreboard

    assert scoreboard is not None
    assert (scoreboard["team_score"], scoreboard["enemy_score"]) == (250, 187)


def test_a_missed_score_is_read_again_from_the_region_between_title_and_result() -> None:
    boxes = [b for b in hardpoint_screen() if b.text != "187"]
    asked: list[tuple[float, float, float, float]] = []

    def reread(left: float, top: float, right: float, bottom: float) -> str:
        asked.append((left, top, right, bottom))
        return "250 - 187"

    scoreboard = read_screen(boxes, reread=reread).scoreboard

    assert scoreboard is not None
    assert (scoreboard["team_score"], scoreboard["enemy_score"]) == (250, 187)
    (left, top, right, bottom), title = asked[0], boxes[1]
    assert left == title.right and top < 112 < bottom and right < 1700


def test_the_mode_comes_from_the_columns_when_the_title_is_unreadable() -> None:
    boxes = [b for b in hardpoint_screen() if b.text != "HARDPOINT"]

    scoreboard = read_screen(boxes).scoreboard

    assert scoreboard is not None
    assert scoreboard["mode"] == "hardpoint"
    assert "map" not in scoreboard, "the map is found under the title"


def weapons_screen() -> list[TextBox]:
    boxes = header("WEAPONS", "SEARCH & DESTROY | Exposure", "DEFEAT", ())
    boxes += [left_box("WEAPON", 140, 270, size=24)]
    for title, x in (("KILLS", 1000), ("HEADSHOTS", 1200), ("ACCURACY", 1400)):
        boxes.append(box(title, x, 270, size=24))
    lines = (("Sokol 545", "5", "2", "27.5%"), ("VS Recon", "3", "3", "41.2%"))
    for index, (name, kills, headshots, accuracy) in enumerate(lines):
        y = 354 + 96 * index
        boxes += [left_box(name, 140, y, size=36)]
        boxes += [box(kills, 1000, y, size=36), box(headshots, 1200, y, size=36)]
        boxes += [box(accuracy, 1400, y, size=36), box("_", 1580, y, size=16)]
    return boxes


def test_the_weapons_screen_reads_each_weapon_and_ignores_the_accuracy_bar() -> None:
    reading = read_screen(weapons_screen())

    assert reading == ScreenReading(
        weapons=[
            {"name": "Sokol 545", "kills": 5, "headshots": 2, "accuracy": 27.5},
            {"name": "VS Recon", "kills": 3, "headshots": 3, "accuracy": 41.2},
        ],
        is_weapons_screen=True,
    )


def test_a_match_needs_a_scoreboard_and_takes_the_weapons_from_their_screen() -> None:
    weapons, scoreboard = read_screen(weapons_screen()), read_screen(hardpoint_screen())

    assert match_stats([weapons]) is None
    stats = match_stats([weapons, scoreboard])
    assert stats is not None
    assert [w["name"] for w in stats["weapons"]] == ["Sokol 545", "VS Recon"]
    assert stats["player"]["gamertag"] == "NightOwl_77"


def test_text_that_is_no_scoreboard_reads_as_nothing() -> None:
    boxes = [box("Hello there", 500, 100), box("42", 900, 300), box("Settings", 500, 500)]

    assert read_screen(boxes) == ScreenReading()
    assert match_stats([read_screen(boxes)]) is None


def test_lines_group_boxes_by_their_middles_and_order_them_left_to_right() -> None:
    lines = lines_of([box("b", 300, 104), box("a", 100, 100), box("c", 100, 200)])

    assert [line.text for line in lines] == ["a b", "c"]


def test_a_box_of_several_words_splits_by_character_share() -> None:
    first, second = split_box(TextBox("12 3456", 0, 0, 70, 10))

    assert (first.text, first.left, first.right) == ("12", 0, 20)
    assert (second.text, second.left, second.right) == ("3456", 30, 70)


def test_the_players_name_is_read_again_wider_for_underscores_at_its_ends() -> None:
    boxes = hardpoint_screen()
    asked: list[float] = []

    def reread(left: float, top: float, right: float, bottom: float) -> str:
        asked.append(left)
        return "_NightOwl_77_" if top > 300 else "250 - 187"

    scoreboard = read_screen(boxes, reread=reread).scoreboard

    assert scoreboard is not None
    assert scoreboard["player"]["gamertag"] == "_NightOwl_77_"
    assert asked and asked[-1] < 140, "from where the PLAYER column starts, and a little more"


def test_a_wider_reading_that_changes_the_names_letters_is_not_taken() -> None:
    def reread(left: float, top: float, right: float, bottom: float) -> str:
        return "NightOw1_77"

    scoreboard = read_screen(hardpoint_screen(), reread=reread).scoreboard

    assert scoreboard is not None
    assert scoreboard["player"]["gamertag"] == "NightOwl_77"


def test_column_titles_read_as_one_box_are_told_apart() -> None:
    boxes = [b for b in hardpoint_screen() if b.text not in ("OBJ TIME", "CAPTURES")]
    boxes.append(TextBox("OBJ TIME CAPTURES", 1480, 238, 1790, 262, ROW, WHITE))

    scoreboard = read_screen(boxes).scoreboard

    assert scoreboard is not None
    assert scoreboard["player"]["objective_time_s"] == 112
    assert scoreboard["player"]["captures"] == 4


def test_a_linked_name_picks_its_row_over_the_highlight() -> None:
    scoreboard = read_screen(hardpoint_screen(you_at=0), gamertags=("vexx_ttv",)).scoreboard

    assert scoreboard is not None
    assert scoreboard["player"]["gamertag"] == "Vexx_TTV"


def test_linked_names_no_row_shows_fall_back_to_the_highlighted_row() -> None:
    scoreboard = read_screen(hardpoint_screen(you_at=2), gamertags=("Nobody_Here",)).scoreboard

    assert scoreboard is not None
    assert scoreboard["player"]["gamertag"] == "dr1ftwood"


HARDPOINT_STATS = ("score", "kills", "deaths", "assists", "objective_time_s", "captures")


def hp_row(name: str, *numbers: int, team: str) -> dict[str, object]:
    return {"gamertag": name, "team": team, **dict(zip(HARDPOINT_STATS, numbers, strict=True))}


def test_every_other_row_comes_back_with_its_team_as_the_player_sees_it() -> None:
    reading = read_screen(hardpoint_screen(you_at=1))

    assert reading.scoreboard is not None
    assert reading.scoreboard["player"]["gamertag"] == "Vexx_TTV"
    assert reading.lobby == [
        hp_row("NightOwl_77", 7350, 31, 22, 9, 112, 4, team="ally"),
        hp_row("dr1ftwood", 5400, 22, 25, 7, 64, 2, team="ally"),
        hp_row("Kaizen_OG", 5010, 19, 23, 12, 131, 5, team="ally"),
        hp_row("Phantom_Rx", 6900, 29, 24, 6, 78, 3, team="enemy"),
    ]
    assert match_lobby([read_screen(weapons_screen()), reading]) == tuple(reading.lobby)


def test_a_player_under_the_enemy_bar_has_the_other_rows_the_other_way_round() -> None:
    plain = [
        TextBox(b.text, b.left, b.top, b.right, b.bottom, ROW, WHITE) for b in hardpoint_screen()
    ]

    reading = read_screen(plain, gamertags=("Phantom_Rx",))

    assert [(row["gamertag"], row["team"]) for row in reading.lobby] == [
        ("NightOwl_77", "enemy"),
        ("Vexx_TTV", "enemy"),
        ("dr1ftwood", "enemy"),
        ("Kaizen_OG", "enemy"),
    ]


def test_without_the_bars_labels_the_gap_a_bar_leaves_tells_the_teams_apart() -> None:
    unlabelled = [b for b in hardpoint_screen() if not b.text.endswith("TEAM")]

    reading = read_screen(unlabelled)

    assert [row["team"] for row in reading.lobby] == ["ally", "ally", "ally", "enemy"]


def test_an_unreadable_cell_is_left_out_of_its_row_not_the_row_out_of_the_lobby() -> None:
    boxes = [b for b in hardpoint_screen() if not (b.text == "29" and b.centre_y == 730)]

    reading = read_screen(boxes)

    assert reading.lobby[-1] == {
        key: value
        for key, value in hp_row("Phantom_Rx", 6900, 29, 24, 6, 78, 3, team="enemy").items()
        if key != "kills"
    }


def test_without_the_players_row_there_is_no_lobby() -> None:
    plain = [
        TextBox(b.text, b.left, b.top, b.right, b.bottom, ROW, WHITE) for b in hardpoint_screen()
    ]

    reading = read_screen(plain)

    assert reading.scoreboard is not None and "player" not in reading.scoreboard
    assert reading.lobby == []
    assert match_lobby([reading]) == ()


def test_a_lobby_holds_at_most_eleven_rows() -> None:
    boxes = hardpoint_screen()
    for index in range(10):
        boxes += row(802 + 72 * index, f"Extra_{index}", "100", "1", "1", "1", "0:10", "0")

    reading = read_screen(boxes)

    assert len(reading.lobby) == 11
    assert reading.lobby[-1]["gamertag"] == "Extra_6"
