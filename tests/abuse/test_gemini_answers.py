"""Any text a model may answer with ends as a value, or as a refusal the adapter maps to a
domain error: never RecursionError, a stray ValueError or anything else that would be a 500.

Each parser runs on top of `json_object`, as `GeminiCaller.ask` runs them; what comes out is
then fed to what consumes it downstream (the /ask guard, the game model's validation).
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.ask.errors import PipelineRefused
from app.core.ask.guard import Scope, guard_pipeline
from app.core.game.errors import InvalidMatchStats
from app.core.game.validation import validate_extraction
from app.shared.gemini import answers, untrusted_json
from app.shared.gemini.answers import Malformed, RefusedPlan, UnusableAnswer
from app.shared.gemini.schemas import MAX_LOBBY_ROWS, TEAMS

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEEP = 100_000
PARSERS: dict[str, Callable[[Mapping[str, Any]], object]] = {
    "raw_stats": answers.raw_stats,
    "extraction": answers.extraction,
    "debrief_parts": answers.debrief_parts,
    "planned_query": answers.planned_query,
    "sentence": answers.sentence,
    "summary": answers.summary,
}

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=40,
)
# Shapes close to the real answers, so fuzzing reaches past the first type check.
answer_keys = st.sampled_from(
    [
        "readable",
        "reason",
        "mode",
        "map",
        "player",
        "weapons",
        "lobby",
        "gamertag",
        "team",
        "headline",
        "strengths",
        "to_work_on",
        "answerable",
        "title",
        "pipeline_json",
        "sentence",
        "summary",
        "kills",
        "$group",
    ]
)
answer_like = st.dictionaries(answer_keys, json_values, max_size=8)

# JSON the untrusted parser accepts, so that only the lobby's shape is being tested.
safe_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
safe_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | safe_text
    | st.sampled_from(["ally", "enemy", "NightOwl_77", "nightowl_77"])
)
safe_values = st.recursive(
    safe_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(safe_text, children),
    max_leaves=20,
)
# Rows close enough to the schema's to be kept now and then, and some that are not.
lobby_rows = st.fixed_dictionaries(
    {
        "gamertag": st.sampled_from(["Vexx_TTV", "NightOwl_77", "nightowl_77", ""]) | safe_values,
        "team": st.sampled_from(["ally", "enemy"]) | safe_values,
    },
    optional={"kills": safe_scalars, "plants": safe_values, "mode": safe_values, "x": st.none()},
)
lobby_like = st.lists(lobby_rows | safe_values, max_size=30)


def deep(opener: str, closer: str, depth: int = DEEP) -> str:
    return opener * depth + closer * depth


def outcome(parse: Callable[[Mapping[str, Any]], object], text: str) -> object:
    """What the caller gets: a parsed value, or the UnusableAnswer it maps to a domain error."""
    try:
        return parse(answers.json_object(text))
    except UnusableAnswer as problem:
        return problem


def downstream(name: str, result: object) -> None:
    """Whatever a parser returned, its consumer accepts it or refuses it as a domain error."""
    if isinstance(result, UnusableAnswer):
        return
    if name == "planned_query":
        assert isinstance(result, tuple)
        pipeline, title = result
        assert isinstance(title, str)
        with contextlib.suppress(PipelineRefused):
            guard_pipeline(pipeline, Scope(guild_id=1))
    elif name == "raw_stats":
        assert isinstance(result, dict)
        with contextlib.suppress(InvalidMatchStats):
            validate_extraction(result)
    elif name == "extraction":
        assert isinstance(result, tuple)
        stats, lobby = result
        downstream("raw_stats", stats)
        assert len(lobby) <= MAX_LOBBY_ROWS
        for row in lobby:
            assert isinstance(row["gamertag"], str) and row["team"] in TEAMS
            assert all(isinstance(value, str | int | float) for value in row.values())


@pytest.mark.parametrize("name", PARSERS)
@FUZZ
@given(text=st.text())
def test_arbitrary_text_is_a_value_or_unusable(name: str, text: str) -> None:
    downstream(name, outcome(PARSERS[name], text))


@pytest.mark.parametrize("name", PARSERS)
@FUZZ
@given(value=json_values | answer_like)
def test_arbitrary_json_is_a_value_or_unusable(name: str, value: object) -> None:
    text = json.dumps(value, allow_nan=True)
    downstream(name, outcome(PARSERS[name], text))


@FUZZ
@given(lobby=lobby_like | safe_values)
def test_no_lobby_fails_the_players_reading(lobby: object) -> None:
    player = {"gamertag": "NightOwl_77", "kills": 3}
    answer = {"readable": True, "player": player, "lobby": lobby}

    result = outcome(answers.extraction, json.dumps(answer))

    assert isinstance(result, tuple)
    assert result[0] == {"player": player, "weapons": []}
    assert all(row["gamertag"].casefold() != "nightowl_77" for row in result[1])
    downstream("extraction", result)


@FUZZ
@given(value=json_values, title=st.text())
def test_arbitrary_pipeline_json_is_refused_or_guarded(value: object, title: str) -> None:
    answer = {"answerable": True, "title": title, "pipeline_json": json.dumps(value)}
    downstream("planned_query", outcome(answers.planned_query, json.dumps(answer)))


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize(
    "text",
    [
        deep("[", "]"),
        '{"a":' * DEEP + "1" + "}" * DEEP,
        '{"answerable": true, "title": "T", "x": ' + deep("[", "]") + "}",
        "[" * DEEP,  # never closed
        "]" * DEEP + "[" * DEEP,
    ],
    ids=["arrays", "objects", "inside an answer", "unclosed", "inverted"],
)
def test_deep_nesting_is_malformed(name: str, text: str) -> None:
    with pytest.raises(Malformed):
        PARSERS[name](answers.json_object(text))


@pytest.mark.parametrize(
    "pipeline_json",
    [deep("[", "]", 10_000), "[" + '{"$a":' * 4_000 + "1" + "}" * 4_000 + "]", "[" * 10_000],
    ids=["arrays", "objects", "unclosed"],
)
def test_a_deeply_nested_plan_is_refused(pipeline_json: str) -> None:
    answer = {"answerable": True, "title": "T", "pipeline_json": pipeline_json}

    with pytest.raises(RefusedPlan):
        answers.planned_query(answers.json_object(json.dumps(answer)))


def test_nesting_just_inside_the_limit_still_parses() -> None:
    depth = untrusted_json.MAX_DEPTH

    assert untrusted_json.parse(deep("[", "]", depth)) is not None
    with pytest.raises(untrusted_json.UntrustedJson):
        untrusted_json.parse(deep("[", "]", depth + 1))


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"sentence": "[[[{{{" * 1000 + '\\" ]]'})

    assert untrusted_json.nesting_depth(text) == 1
    assert answers.sentence(answers.json_object(text))


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"sentence": "x" * 5_000_000}),
        json.dumps({"summary": "word " * 1_000_000}),
        " " * 5_000_000 + "{}",
        json.dumps({"readable": True, "player": {"gamertag": "a" * 2_000_000}}),
    ],
    ids=["long sentence", "long summary", "padding", "long gamertag"],
)
def test_megabytes_of_text_are_malformed_without_parsing(name: str, text: str) -> None:
    with pytest.raises(Malformed, match="longer than"):
        PARSERS[name](answers.json_object(text))


@pytest.mark.parametrize(
    "text",
    [
        '{"sentence": "a\\u0000b"}',
        '{"sentence": "ok", "x\\u0000": 1}',
        '{"sentence": "\\ud800"}',
        '{"sentence": "\\udfff tail"}',
        '{"sentence": "a\x00b"}',  # a raw NUL: not even valid JSON
        '{"sentence": "ok", "n": NaN}',
        '{"sentence": "ok", "n": -Infinity}',
        '{"sentence": "ok", "n": 1e999}',
        '{"sentence": "ok", "n": ' + "9" * 5000 + "}",
        '{"sentence": "ok", "n": ' + "9" * 20 + "}",
        '{"sentence": "ok", "n": 1' + "0" * 400 + ".5}",
        '{"sentence": "ok", "sentence": "other"}',
    ],
    ids=[
        "escaped NUL",
        "NUL in a key",
        "high surrogate",
        "low surrogate",
        "raw NUL",
        "NaN",
        "minus infinity",
        "overflowing float",
        "5000 digits",
        "beyond 64 bits",
        "huge float",
        "duplicate key",
    ],
)
def test_unsafe_strings_numbers_and_keys_are_malformed(text: str) -> None:
    with pytest.raises(Malformed):
        answers.sentence(answers.json_object(text))


def test_safe_numbers_and_text_still_parse() -> None:
    text = '{"a": -9223372036854775808, "b": 9223372036854775807, "c": 1.5e300, "d": "é ✓"}'

    value = untrusted_json.parse(text)

    assert isinstance(value, dict)
    assert value["a"] == -(2**63)
    assert math.isfinite(value["c"])


@pytest.mark.parametrize(
    "answer",
    [
        {"readable": True, "player": {"kills": 3}, "x" * 50_000: 1},
        {"readable": True, "player": {"kills": 3, "$where": 1}},
        {"readable": True, "player": {"kills": 3}, "weapons": [{"name": "A", "spread": 1}]},
    ],
    ids=["unknown top-level key", "unknown player key", "unknown weapon key"],
)
def test_an_extraction_with_fields_the_schema_does_not_offer_is_malformed(
    answer: dict[str, object],
) -> None:
    with pytest.raises(Malformed):
        answers.raw_stats(answers.json_object(json.dumps(answer)))
