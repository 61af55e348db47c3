"""Turning pipeline results into rows, a table and a fallback sentence."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.ai import AnswerRows
from app.core.ask.answer import (
    MAX_COLUMNS,
    MAX_ROWS,
    answer_rows,
    fallback_sentence,
    render_table,
)
from app.core.ask.errors import InvalidQuestion
from app.core.ask.text import (
    MAX_QUESTION,
    MAX_SENTENCE,
    MAX_TITLE,
    clean_question,
    clean_sentence,
    clean_title,
)


def rows_of(documents: list[dict[str, Any]], id_label: str = "group") -> AnswerRows:
    return answer_rows("q?", "Title", documents, id_label=id_label)


def test_columns_follow_first_seen_order_and_missing_values_are_empty() -> None:
    rows = rows_of([{"b": 1, "a": 2}, {"a": 3, "c": 4}])

    assert rows.columns == ("b", "a", "c")
    assert rows.rows == ((1, 2, None), (None, 3, 4))
    assert (rows.question, rows.title) == ("q?", "Title")


def test_a_grouped_id_takes_the_grouping_fields_name() -> None:
    assert rows_of([{"_id": "Den", "wins": 3}], id_label="map").columns == ("map", "wins")
    assert rows_of([{"_id": None, "n": 3}]).columns == ("group", "n")


def test_an_id_object_spreads_into_its_fields() -> None:
    rows = rows_of([{"_id": {"map": "Den", "mode": "hardpoint"}, "wins": 2}])

    assert rows.columns == ("map", "mode", "wins")
    assert rows.rows == (("Den", "hardpoint", 2),)


def test_player_ids_become_mentions_in_a_player_column() -> None:
    by_group = rows_of([{"_id": 123456789012345678, "kd": 1.5}], id_label="user_id")
    by_field = rows_of([{"user_id": 42, "kills": 3}, {"user_id": None, "kills": 1}])

    assert by_group.columns == ("player", "kd")
    assert by_group.rows[0][0] == "<@123456789012345678>"
    assert by_field.rows == (("<@42>", 3), (None, 1))


def test_values_are_made_readable() -> None:
    rows = rows_of(
        [
            {
                "kd": 1.23456,
                "at": datetime(2026, 11, 3, 21, 30, tzinfo=UTC),
                "best": {"map": "Den", "kills": 31},
                "nested": {"deep": {"x": 1, "y": 2.555}},
                "flag": True,
                "names": ["a", "b", "c", "d", "e", "f"],
            }
        ]
    )

    assert rows.columns == ("kd", "at", "best.map", "best.kills", "nested.deep", "flag")
    assert rows.rows == ((1.23, "2026-11-03", "Den", 31, "x: 1, y: 2.56", True),)
    assert rows_of([{"names": ["a", "b", "c", "d", "e", "f"]}]).rows == (("a, b, c, d, e, …",),)


def test_rows_and_columns_are_capped() -> None:
    documents = [{f"c{i}": i for i in range(MAX_COLUMNS + 3)} for _ in range(MAX_ROWS + 5)]

    rows = rows_of(documents)

    assert len(rows.rows) == MAX_ROWS
    assert len(rows.columns) == MAX_COLUMNS
    assert all(len(row) == MAX_COLUMNS for row in rows.rows)


def test_the_table_aligns_text_left_and_numbers_right() -> None:
    rows = rows_of([{"map": "Den", "wins": 12, "kd": 1.5}, {"map": "Scar", "wins": 3, "kd": None}])

    assert render_table(rows, 4096).splitlines() == [
        "map   wins    kd",
        "----  ----  ----",
        "Den     12  1.50",
        "Scar     3     —",
    ]


def test_the_table_fits_its_budget_and_says_how_many_rows_it_left_out() -> None:
    rows = rows_of([{"n": i, "name": "x" * 20} for i in range(20)])

    table = render_table(rows, 200, omitted=5)

    assert len(table) <= 200
    shown = len(table.splitlines()) - 3  # header, rule, "more" line
    assert table.splitlines()[-1] == f"… {25 - shown} more"


def test_values_cannot_close_the_code_fence_or_break_lines() -> None:
    rows = rows_of([{"gamertag": "```@everyone\nhi", "long": "y" * 40}])

    table = render_table(rows, 4096)

    assert "`" not in table
    assert table.splitlines()[2].startswith("'''@everyone hi")
    assert "y" * 23 + "…" in table


def test_an_empty_answer_renders_a_short_notice() -> None:
    assert render_table(rows_of([]), 4096) == "No results."


cells = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))


@given(
    st.lists(st.dictionaries(st.sampled_from("abcdefgh"), cells, min_size=1), max_size=30),
    st.integers(40, 4096),
    st.integers(0, 30),
)
@settings(max_examples=200)
def test_the_table_never_exceeds_its_budget(
    documents: list[dict[str, Any]], budget: int, omitted: int
) -> None:
    assert len(render_table(rows_of(documents), budget, omitted=omitted)) <= budget


def test_the_fallback_sentence_reads_the_top_row() -> None:
    assert fallback_sentence(rows_of([])) == "No matches found for that question."
    assert fallback_sentence(rows_of([{"matches": 12}])) == "Title: 12."
    assert (
        fallback_sentence(rows_of([{"_id": 7, "kd": 1.456}, {"_id": 8}], id_label="user_id"))
        == "Top result: player <@7>, kd 1.46."
    )


def test_questions_are_put_on_one_line_without_control_characters() -> None:
    assert clean_question("  my\x00 best\n\tscore\x1b[31m?  ") == "my best score [31m?"


@pytest.mark.parametrize("question", ["", "   ", "\x00\x01\n", "x" * (MAX_QUESTION + 1)])
def test_an_empty_or_overlong_question_is_refused(question: str) -> None:
    with pytest.raises(InvalidQuestion):
        clean_question(question)


def test_a_question_of_the_maximum_length_is_kept() -> None:
    assert clean_question("x" * MAX_QUESTION) == "x" * MAX_QUESTION


def test_the_ai_sentence_is_one_line_and_bounded() -> None:
    assert clean_sentence("Ghost leads\n\nwith 1.5 K/D.") == "Ghost leads with 1.5 K/D."
    long = clean_sentence("word " * 200)
    assert len(long) == MAX_SENTENCE
    assert long.endswith("…")


def test_the_ai_title_is_one_short_line_or_else_the_question() -> None:
    assert clean_title("K/D\nby player", "q?") == "K/D by player"
    assert len(clean_title("t" * 500, "q?")) == MAX_TITLE
    assert clean_title(" \n ", "who is best?") == "who is best?"
