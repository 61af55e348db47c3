"""The response schemas against the game model, and the answer parsing rules on their own."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from app.core.game.players import PLAYER_STATS_BY_MODE
from app.shared.gemini import answers
from app.shared.gemini.schemas import (
    DEBRIEF_SCHEMA,
    DIGEST_SCHEMA,
    PLAN_SCHEMA,
    SENTENCE_SCHEMA,
    extraction_schema,
)
from devtools.samples import SampleFile, load_manifest

ALL_SCHEMAS = [extraction_schema(), DEBRIEF_SCHEMA, PLAN_SCHEMA, SENTENCE_SCHEMA, DIGEST_SCHEMA]


@pytest.mark.parametrize("schema", ALL_SCHEMAS)
def test_every_schema_is_valid_json_schema_without_references(schema: dict[str, object]) -> None:
    Draft202012Validator.check_schema(schema)
    assert "$ref" not in str(schema)


def test_extraction_schema_offers_every_player_field_of_every_mode() -> None:
    offered = set(extraction_schema()["properties"]["player"]["properties"])

    for model in PLAYER_STATS_BY_MODE.values():
        assert set(model.model_fields) - {"mode"} <= offered


def test_a_lobby_row_offers_the_player_fields_a_gamertag_and_a_team() -> None:
    properties = extraction_schema()["properties"]
    row = properties["lobby"]["items"]

    assert set(row["properties"]) == set(properties["player"]["properties"]) | {"team"}
    assert row["required"] == ["gamertag", "team"]
    assert row["properties"]["team"]["enum"] == ["ally", "enemy"]
    assert properties["lobby"]["maxItems"] == 11


@pytest.mark.parametrize("sample", load_manifest().samples, ids=lambda sample: sample.file)
def test_every_sample_answer_fits_the_extraction_schema(sample: SampleFile) -> None:
    answer = {**sample.answer, "lobby": list(sample.lobby), "readable": True}

    assert list(Draft202012Validator(extraction_schema()).iter_errors(answer)) == []


@pytest.mark.parametrize(
    ("text", "limit", "clipped"),
    [
        ("short", 10, "short"),
        ("  spaced \n\n out  ", 20, "spaced out"),
        ("one two three four", 12, "one two…"),
        ("abcdefghijklmnop", 8, "abcdefg…"),
        ("keep, the comma out", 7, "keep…"),
    ],
)
def test_clip_cuts_at_a_word_with_an_ellipsis(text: str, limit: int, clipped: str) -> None:
    assert answers.clip(text, limit) == clipped
    assert len(answers.clip(text, limit)) <= limit


@pytest.mark.parametrize(
    "text",
    ['{"a": 1}', '```json\n{"a": 1}\n```', '```\n{"a": 1}```', '  {"a": 1}\n'],
)
def test_json_object_reads_plain_and_fenced_json(text: str) -> None:
    assert answers.json_object(text) == {"a": 1}


@pytest.mark.parametrize("text", ["", "[1]", '"a"', "{'a': 1}", "Sure! Here it is"])
def test_json_object_refuses_anything_else(text: str) -> None:
    with pytest.raises(answers.Malformed):
        answers.json_object(text)


def test_raw_stats_keeps_zeroes_and_drops_only_nulls_and_the_readable_flag() -> None:
    answer = {
        "readable": True,
        "reason": "",
        "mode": "search_and_destroy",
        "map": None,
        "player": {"kills": 0, "plants": None},
        "weapons": [{"name": "VS Recon", "kills": 0, "headshots": 0, "accuracy": None}],
    }

    assert answers.raw_stats(answer) == {
        "mode": "search_and_destroy",
        "player": {"kills": 0},
        "weapons": [{"name": "VS Recon", "kills": 0, "headshots": 0}],
    }


def test_the_lobby_travels_apart_from_the_raw_stats_without_nulls() -> None:
    row = {"gamertag": "Vexx_TTV", "team": "ally", "kills": 0, "plants": None, "captures": 3}
    answer = {"readable": True, "player": {"gamertag": "NightOwl_77"}, "lobby": [row]}

    stats, lobby = answers.extraction(answer)

    assert stats == {"player": {"gamertag": "NightOwl_77"}, "weapons": []}
    assert lobby == ({"gamertag": "Vexx_TTV", "team": "ally", "kills": 0, "captures": 3},)
    assert answers.raw_stats(answer) == stats


@pytest.mark.parametrize(
    "row",
    [
        {"team": "ally", "kills": 3},
        {"gamertag": "  ", "team": "ally"},
        {"gamertag": 7, "team": "ally"},
        {"gamertag": "Vexx_TTV"},
        {"gamertag": "Vexx_TTV", "team": "spectator"},
        {"gamertag": "Vexx_TTV", "team": "ally", "kills": [3]},
        {"gamertag": "Vexx_TTV", "team": "ally", "spread": 1},
        ["Vexx_TTV", "ally"],
        "Vexx_TTV",
        None,
    ],
    ids=[
        "no gamertag",
        "blank gamertag",
        "number as gamertag",
        "no team",
        "unknown team",
        "a list as a stat",
        "a field the schema does not offer",
        "a list",
        "a string",
        "null",
    ],
)
def test_a_lobby_row_the_schema_does_not_describe_is_dropped_alone(row: object) -> None:
    good = {"gamertag": "Kaizen_OG", "team": "enemy", "kills": 4}
    answer = {"readable": True, "player": {"kills": 3}, "lobby": [row, good]}

    stats, lobby = answers.extraction(answer)

    assert stats == {"player": {"kills": 3}, "weapons": []}
    assert lobby == (good,)
