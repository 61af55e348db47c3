"""The JSON Schemas sent as ``response_json_schema``: the shape each answer must take.

Kept to the keywords Gemini documents for ``responseJsonSchema`` (google-genai's
``GenerateContentConfig.response_json_schema`` docstring lists them: ``SUPPORTED_KEYWORDS``):
objects with listed properties, arrays, enums, ``["<type>", "null"]`` for values that may be
missing, no ``$ref``. Text lengths are not among them: the limit is said in the field's
description, and the answers are clipped and checked after parsing. Item counts
(``minItems``/``maxItems``) are hints too, checked again after parsing.
"""

from __future__ import annotations

import functools
from typing import Any

from app.core.game.players import PLAYER_STATS_BY_MODE, PlayerStatsBase
from app.core.game.rules import Mode, Result

JsonSchema = dict[str, Any]

SUPPORTED_KEYWORDS = frozenset(
    {
        "$id",
        "$defs",
        "$ref",
        "$anchor",
        "type",
        "format",
        "title",
        "description",
        "enum",
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "anyOf",
        "oneOf",
        "properties",
        "additionalProperties",
        "required",
        "propertyOrdering",
    }
)

HEADLINE_MAX = 120
POINT_MAX = 120
SENTENCE_MAX = 300
DIGEST_MAX = 1200
TITLE_MAX = 80
MAX_WEAPONS = 10
# Every row but the player's own of the largest lobby, 6 against 6.
MAX_LOBBY_ROWS = 11
TEAMS = ("ally", "enemy")

# Every player field of every mode, explained for the model. A field the game model gains
# without an explanation here fails `extraction_schema()` (and its test) loudly.
_PLAYER_FIELD_DESCRIPTIONS = {
    "gamertag": "The player's name, as printed on their row.",
    "score": "The score column.",
    "kills": "Kills (K column).",
    "deaths": "Deaths (D column).",
    "assists": "Assists (A column).",
    "objective_time_s": "Hardpoint only: hill / objective time, m:ss converted to seconds.",
    "captures": "Hardpoint only: hills captured.",
    "plants": "Search and Destroy only: bomb plants.",
    "defuses": "Search and Destroy only: bomb defuses.",
    "overloads": "Overload only: devices delivered (overloads / goals).",
    "device_carry_time_s": "Overload only: device carry time, m:ss converted to seconds.",
}


def _nullable(type_name: str, description: str) -> JsonSchema:
    return {"type": [type_name, "null"], "description": description}


def _nullable_choice(values: list[str]) -> JsonSchema:
    return {"anyOf": [{"type": "string", "enum": values}, {"type": "null"}]}


def _player_fields() -> list[str]:
    fields = [name for name in PlayerStatsBase.model_fields if name != "mode"]
    for model in PLAYER_STATS_BY_MODE.values():
        fields += [name for name in model.model_fields if name not in fields and name != "mode"]
    return fields


def _player_schema() -> JsonSchema:
    properties = {
        name: _nullable(
            "string" if name == "gamertag" else "integer", _PLAYER_FIELD_DESCRIPTIONS[name]
        )
        for name in _player_fields()
    }
    return {
        "type": "object",
        "description": "The highlighted player's row; null for fields the mode does not have.",
        "properties": properties,
        "additionalProperties": False,
    }


def _lobby_row_schema() -> JsonSchema:
    stats = {
        name: _nullable("integer", _PLAYER_FIELD_DESCRIPTIONS[name])
        for name in _player_fields()
        if name != "gamertag"
    }
    return {
        "type": "object",
        "description": "Another player's row; null for fields the mode does not have.",
        "properties": {
            "gamertag": {"type": "string", "description": "Their name, as printed on the row."},
            "team": {
                "type": "string",
                "enum": list(TEAMS),
                "description": "ally: the player's own team; enemy: the other team.",
            },
            **stats,
        },
        "required": ["gamertag", "team"],
        "additionalProperties": False,
    }


_WEAPON_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "The weapon's name, exactly as printed."},
        "kills": {"type": "integer"},
        "headshots": {"type": "integer"},
        "accuracy": _nullable("number", "Accuracy in percent (24.6 for 24.6%)."),
    },
    "required": ["name", "kills", "headshots"],
    "additionalProperties": False,
}


@functools.cache
def extraction_schema(*, with_lobby: bool = True) -> JsonSchema:
    """The raw match shape of the game model, plus whether there was anything to read and,
    `with_lobby`, the scoreboard's other rows (``lobby``: the adapter hands them over apart,
    never in the raw stats). Without it, the model is not asked for them at all."""
    schema = _extraction_schema_with_lobby()
    if with_lobby:
        return schema
    properties = {k: v for k, v in schema["properties"].items() if k != "lobby"}
    return {**schema, "properties": properties}


def _extraction_schema_with_lobby() -> JsonSchema:
    return {
        "type": "object",
        "properties": {
            "readable": {
                "type": "boolean",
                "description": "False when there is no Black Ops 7 end-of-match scoreboard.",
            },
            "reason": {
                "type": "string",
                "description": "When not readable: why, in a few words.",
            },
            "mode": _nullable_choice([mode.value for mode in Mode]),
            "map": _nullable("string", "The map's name, as printed."),
            "result": _nullable_choice([result.value for result in Result]),
            "team_score": _nullable("integer", "The highlighted player's team's score."),
            "enemy_score": _nullable("integer", "The other team's score."),
            "player": _player_schema(),
            "weapons": {"type": "array", "items": _WEAPON_SCHEMA, "maxItems": MAX_WEAPONS},
            "lobby": {
                "type": "array",
                "description": "Every other player's row, both teams, in the order shown.",
                "items": _lobby_row_schema(),
                "maxItems": MAX_LOBBY_ROWS,
            },
        },
        "required": ["readable"],
        "additionalProperties": False,
    }


def _text(limit: int, description: str = "") -> JsonSchema:
    return {"type": "string", "description": f"{description}At most {limit} characters.".strip()}


def _points(description: str) -> JsonSchema:
    return {
        "type": "array",
        "description": description,
        "items": _text(POINT_MAX),
        "minItems": 2,
        "maxItems": 3,
    }


DEBRIEF_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        "headline": _text(HEADLINE_MAX),
        "strengths": _points("What went well, each backed by a number from the facts."),
        "to_work_on": _points("What to improve, each tied to a number from the facts."),
    },
    "required": ["headline", "strengths", "to_work_on"],
    "additionalProperties": False,
}

# The pipeline travels as JSON text: its stages are objects with `$`-prefixed keys and
# free-form values ({"$group": {"_id": "$map", "kd": {"$avg": ...}}}), which a response
# schema cannot describe without either listing every operator or allowing any object, and
# Gemini handles open-ended objects poorly. A string is always well-formed for Gemini; the
# JSON inside is parsed here and then checked by the query guard.
PLAN_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        "answerable": {
            "type": "boolean",
            "description": "False when the listed fields cannot answer the question.",
        },
        "title": _text(TITLE_MAX, "A short title for the result table. "),
        "pipeline_json": {
            "type": "string",
            "description": "The aggregation pipeline: a JSON array of stage objects, as text.",
        },
    },
    "required": ["answerable", "title", "pipeline_json"],
    "additionalProperties": False,
}

SENTENCE_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {"sentence": _text(SENTENCE_MAX)},
    "required": ["sentence"],
    "additionalProperties": False,
}

DIGEST_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {"summary": _text(DIGEST_MAX)},
    "required": ["summary"],
    "additionalProperties": False,
}
