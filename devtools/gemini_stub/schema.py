"""Check a programmed JSON answer against the response schema the request carried."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError

from devtools.gemini_stub.prompt import JsonObject, ResponseSchema

# Keys of Gemini's Schema whose values are themselves schemas (or maps/lists of them).
_SCHEMA_VALUED = ("items", "additionalProperties")
_SCHEMA_MAPS = ("properties", "$defs", "defs")
_SCHEMA_LISTS = ("anyOf", "prefixItems")


def to_json_schema(gemini_schema: JsonObject) -> JsonObject:
    """Translate Gemini's ``responseSchema`` dialect into JSON Schema.

    The dialects differ in three ways that matter for validation: types are upper-case
    (``"OBJECT"``), null is allowed with ``nullable: true`` instead of a type, and
    keywords may come in proto field style (google-genai sends ``any_of``,
    ``additional_properties``), which protobuf JSON treats as ``anyOf`` and so on.
    """
    converted: JsonObject = {}
    for key, value in gemini_schema.items():
        keyword = _camel_case(key)
        if keyword == "nullable":
            continue
        converted[keyword] = _convert_value(keyword, value)
    if gemini_schema.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _camel_case(keyword: str) -> str:
    head, *rest = keyword.split("_")
    return head + "".join(word.capitalize() for word in rest)


def _convert_value(key: str, value: Any) -> Any:
    if key == "type" and isinstance(value, str):
        return value.lower()
    if key in _SCHEMA_VALUED and isinstance(value, dict):
        return to_json_schema(value)
    if key in _SCHEMA_MAPS and isinstance(value, dict):
        return {name: to_json_schema(sub) for name, sub in value.items()}
    if key in _SCHEMA_LISTS and isinstance(value, list):
        return [to_json_schema(sub) for sub in value]
    return value


def schema_violations(value: JsonObject, schema: ResponseSchema) -> list[str]:
    """Readable reasons why ``value`` does not follow ``schema`` (empty when it does)."""
    json_schema = to_json_schema(schema.schema) if schema.dialect == "gemini" else schema.schema
    problem = _schema_problem(json.dumps(json_schema, sort_keys=True))
    if problem is not None:
        return [problem]
    errors = map(_most_specific, Draft202012Validator(json_schema).iter_errors(value))
    return sorted(f"{error.json_path}: {error.message}" for error in errors)


@lru_cache(maxsize=64)
def _schema_problem(json_schema: str) -> str | None:
    """Why a response schema is not valid JSON Schema, if it is not; by its JSON text.

    Checked once per schema: the check costs 10 to 15 ms for the app's extraction schema,
    which every read_stats request carries (a burst of a thousand debriefs spent 12 s of the
    benchmark's CPU checking the same schema again).
    """
    try:
        Draft202012Validator.check_schema(json.loads(json_schema))
    except SchemaError as error:
        return f"the request's response schema is not valid: {error.message}"
    return None


def _most_specific(error: ValidationError) -> ValidationError:
    """Inside ``anyOf`` (nullable fields, unions) name the deepest failing value.

    "$.extras.medals: 'three' is not of type 'integer'" helps more than
    "$.extras: ... is not valid under any of the given schemas".
    """
    depth = len(error.absolute_path)
    deeper = [sub for sub in error.context or () if len(sub.absolute_path) > depth]
    if not deeper:
        return error
    return _most_specific(max(deeper, key=lambda sub: len(sub.absolute_path)))
