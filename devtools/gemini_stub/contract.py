"""What Gemini's ``generateContent`` accepts: the stub refuses, with Gemini's 400, the rest.

- Field names: the messages a body may carry, as google-genai 3.6.1 writes them for the
  Gemini API (``models._*_to_mldev``). Google's JSON parser takes each in lowerCamelCase or
  in the proto's snake_case (google-genai itself sends ``thinkingConfig`` with snake_case
  fields); anything else is an "Unknown name". Bodies are returned in camelCase.
- ``responseJsonSchema``: only the keywords google-genai's docstring of
  ``GenerateContentConfig.response_json_schema`` lists, and nothing but ``$``-keywords
  beside a ``$ref``.
- Thinking: one control at a time; a level only on a model that has that level.
- Inline data: at most ``MAX_INLINE_BYTES`` of base64 in one request (Google raised the
  limit from 20 MB to 100 MB in January 2026).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from google.genai import types

from devtools.gemini_stub.models import MEDIA_RESOLUTIONS, THINKING_LEVELS, StubModel
from devtools.gemini_stub.prompt import InvalidRequest, JsonObject

MAX_INLINE_BYTES = 100 * 1024 * 1024

JSON_SCHEMA_KEYWORDS = frozenset(
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


@dataclass(frozen=True)
class MapOf:
    """A map whose keys are data (property names), each value a message of ``fields``."""

    fields: Fields


# Field name → the message it holds (its own field table), a map of messages, or None for a
# value the stub does not look into.
Fields = Mapping[str, "Fields | MapOf | None"]

_BLOB: Fields = {"mimeType": None, "data": None}
_PART: Fields = {
    "text": None,
    "inlineData": _BLOB,
    **dict.fromkeys(
        (
            "audioMetadata",
            "audioTranscription",
            "codeExecutionResult",
            "documentMetadata",
            "executableCode",
            "fileData",
            "functionCall",
            "functionResponse",
            "mediaProcessing",
            "mediaResolution",
            "partMetadata",
            "speechMetadata",
            "spreadsheetMetadata",
            "thought",
            "thoughtSignature",
            "toolCall",
            "toolResponse",
            "videoMetadata",
        )
    ),
}
_CONTENT: Fields = {"role": None, "parts": _PART}
_THINKING: Fields = {"includeThoughts": None, "thinkingBudget": None, "thinkingLevel": None}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def _join(path: str, name: str) -> str:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
    return f"{path}.{snake}" if path else snake


def _schema_fields() -> Fields:
    """Gemini's ``Schema`` message (``responseSchema``), from google-genai's own type."""
    fields: dict[str, Fields | MapOf | None] = {
        _camel(name): None for name in types.Schema.model_fields
    }
    # additionalProperties may be a boolean as well as a schema: not looked into.
    fields["additionalProperties"] = None
    fields["items"] = fields
    fields["anyOf"] = fields
    fields["properties"] = MapOf(fields)
    fields["defs"] = MapOf(fields)
    return fields


_GENERATION_CONFIG: Fields = {
    **dict.fromkeys(
        (
            "temperature",
            "topP",
            "topK",
            "candidateCount",
            "maxOutputTokens",
            "stopSequences",
            "responseLogprobs",
            "logprobs",
            "presencePenalty",
            "frequencyPenalty",
            "seed",
            "responseMimeType",
            "responseJsonSchema",
            "responseModalities",
            "mediaResolution",
            "speechConfig",
            "imageConfig",
            "enableEnhancedCivicAnswers",
            "audioTranscriptionConfig",
        )
    ),
    "responseSchema": _schema_fields(),
    "thinkingConfig": _THINKING,
}
REQUEST: Fields = {
    "contents": _CONTENT,
    "systemInstruction": _CONTENT,
    "generationConfig": _GENERATION_CONFIG,
    **dict.fromkeys(
        (
            "model",
            "safetySettings",
            "tools",
            "toolConfig",
            "cachedContent",
            "labels",
            "serviceTier",
            "store",
            "continuationToken",
        )
    ),
}


def normalized(body: object, fields: Fields = REQUEST) -> JsonObject:
    """``body`` with every field name in camelCase; InvalidRequest for an unknown name."""
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    value: JsonObject = _message(body, fields, "")
    return value


def check(request: JsonObject, model: StubModel, max_inline_bytes: int) -> None:
    """Refuse what Gemini refuses in a normalized request for ``model``."""
    config = request.get("generationConfig", {})
    if isinstance(config, dict):
        _check_response_schemas(config)
        _check_thinking(config.get("thinkingConfig", {}), model)
        _check_media_resolution(config.get("mediaResolution"))
    inline = sum(len(data) for data in _inline_data(request))
    if inline > max_inline_bytes:
        raise InvalidRequest(f"Request payload size exceeds the limit: {max_inline_bytes} bytes.")


def json_schema_violations(schema: object, where: str = "$") -> Iterator[str]:
    """Where ``schema`` uses a keyword outside Gemini's list, or more than ``$ref`` allows."""
    if not isinstance(schema, dict):
        return
    for keyword in schema:
        if keyword not in JSON_SCHEMA_KEYWORDS:
            yield f"{where}: '{keyword}' is not a supported keyword"
        elif keyword == "$ref" and any(not other.startswith("$") for other in schema):
            yield f"{where}: only '$' keywords may stand beside '$ref'"
    for keyword, value in schema.items():
        if keyword in ("properties", "$defs") and isinstance(value, dict):
            for name, sub in value.items():
                yield from json_schema_violations(sub, f"{where}.{keyword}.{name}")
        elif keyword in ("items", "additionalProperties"):
            yield from json_schema_violations(value, f"{where}.{keyword}")
        elif keyword in ("anyOf", "oneOf", "prefixItems") and isinstance(value, list):
            for index, sub in enumerate(value):
                yield from json_schema_violations(sub, f"{where}.{keyword}[{index}]")


def _message(value: object, fields: Fields, path: str) -> Any:
    if isinstance(value, list):
        return [_message(item, fields, path) for item in value]
    if not isinstance(value, dict):
        raise InvalidRequest(
            f"Invalid JSON payload received. Expected an object at '{path or 'request'}'."
        )
    normalized_value: JsonObject = {}
    for key, item in value.items():
        name = _camel(key)
        if name not in fields:
            where = f" at '{path}'" if path else ""
            raise InvalidRequest(
                f'Invalid JSON payload received. Unknown name "{key}"{where}: Cannot find field.'
            )
        normalized_value[name] = _field(item, fields[name], _join(path, name))
    return normalized_value


def _field(value: object, inner: Fields | MapOf | None, path: str) -> Any:
    if inner is None:
        return value
    if isinstance(inner, MapOf):
        if not isinstance(value, dict):
            raise InvalidRequest(f"Invalid JSON payload received. Expected a map at '{path}'.")
        return {key: _message(item, inner.fields, f"{path}[{key}]") for key, item in value.items()}
    return _message(value, inner, path)


def _check_response_schemas(config: JsonObject) -> None:
    if "responseSchema" in config and "responseJsonSchema" in config:
        raise InvalidRequest("response_schema and response_json_schema cannot both be set.")
    violations = list(json_schema_violations(config.get("responseJsonSchema")))
    if violations:
        raise InvalidRequest(
            "* GenerateContentRequest.generation_config.response_json_schema: "
            + "; ".join(violations)
        )


def _check_thinking(thinking: object, model: StubModel) -> None:
    if not isinstance(thinking, dict):
        return
    level, budget = thinking.get("thinkingLevel"), thinking.get("thinkingBudget")
    if level is not None and budget is not None:
        raise InvalidRequest(
            "You cannot use both thinking_level and the legacy thinking_budget parameter "
            "in the same request."
        )
    if level is not None:
        if level not in THINKING_LEVELS:
            raise InvalidRequest(f"Invalid value at 'generation_config.thinking_config': {level}")
        if level not in model.thinking_levels:
            supported = ", ".join(model.thinking_levels) or "none: use thinking_budget"
            raise InvalidRequest(
                f"Thinking level {level} is not supported for {model.name} "
                f"(supported: {supported})."
            )
    if budget == 0 and not model.can_stop_thinking:
        raise InvalidRequest("Budget 0 is invalid. This model only works in thinking mode.")


def _check_media_resolution(resolution: object) -> None:
    if resolution is not None and resolution not in MEDIA_RESOLUTIONS:
        raise InvalidRequest(
            f"Invalid value at 'generation_config.media_resolution' ({resolution!r})."
        )


def _inline_data(request: JsonObject) -> Iterator[str]:
    contents = request.get("contents", [])
    system = request.get("systemInstruction")
    for content in [*(contents if isinstance(contents, list) else []), system]:
        parts = content.get("parts", []) if isinstance(content, dict) else []
        for part in parts if isinstance(parts, list) else []:
            blob = part.get("inlineData") if isinstance(part, dict) else None
            data = blob.get("data") if isinstance(blob, dict) else None
            if isinstance(data, str):
                yield data
