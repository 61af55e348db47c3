"""Request-body validation against Discord's official OpenAPI 3.1 description.

OpenAPI 3.1 schemas are JSON Schema 2020-12, validated here with `jsonschema`, adjusted to the
conventions the spec's README states for Discord's API:
- integer fields accept int-parseable strings, and snowflake strings accept integers
  (discord.py sends ids both ways, e.g. attachment ids as list indexes);
- `anyOf` marked `x-discord-union: oneOf` means the body is ONE of the shapes, not a blend,
  even though optional fields let it match several.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .errors import BodyError
from .spec_errors import to_body_errors

SPEC_URI = "urn:discord:openapi"
JSON_MEDIA = "application/json"
MULTIPART_MEDIA = "multipart/form-data"
_BASE = Draft202012Validator.VALIDATORS
_INT_STRING = re.compile(r"^-?\d+$")


class SpecNotFoundError(FileNotFoundError):
    """Discord's OpenAPI file is not where the emulator was told to look."""


@dataclass(frozen=True)
class Operation:
    """One path + method of the spec, with the schema pointer of each request media type."""

    template: str
    method: str
    operation_id: str
    body_pointers: dict[str, str]


class SpecValidator:
    """Finds the spec operation for a request and checks its body."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
        )
        self._operations = _index_operations(spec)
        self._validator_class = self._build_validator_class()
        self._validators: dict[str, Validator] = {}

    @classmethod
    def from_file(cls, path: Path) -> SpecValidator:
        if not path.is_file():
            raise SpecNotFoundError(
                f"Discord's OpenAPI spec is not at {path}; pass spec_path, set DISCORD_API_SPEC, "
                "or construct the emulator with require_spec=False"
            )
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def operation(self, method: str, api_path: str) -> Operation | None:
        """The operation for a path below /api/v10; literal segments beat {placeholders}."""
        for pattern, by_method in self._operations:
            if pattern.fullmatch(api_path):
                return by_method.get(method.lower())
        return None

    def validate(self, operation: Operation, body: Any, media_type: str) -> list[BodyError]:
        pointer = operation.body_pointers.get(media_type) or operation.body_pointers.get(JSON_MEDIA)
        if pointer is None:
            return []
        validator = self._validators.get(pointer)
        if validator is None:
            validator = self._validator_class(
                {"$ref": pointer}, registry=self._registry, format_checker=_format_checker()
            )
            self._validators[pointer] = validator
        return to_body_errors(validator.iter_errors(body))

    def _build_validator_class(self) -> type[Validator]:
        resolver = self._registry.resolver(base_uri=SPEC_URI)

        def resolve(schema: Any) -> Any:
            while isinstance(schema, dict) and "$ref" in schema:
                schema = resolver.lookup(schema["$ref"]).contents
            return schema

        def single_shape(
            validator: Validator, mode: Any, instance: Any, schema: dict[str, Any]
        ) -> Iterator[ValidationError]:
            yield from _single_shape_errors(validator, mode, instance, schema, resolve)

        extended: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]
            Draft202012Validator,
            validators={
                "type": _lenient_type,
                "minimum": _coercing(_BASE["minimum"]),
                "maximum": _coercing(_BASE["maximum"]),
                "oneOf": _one_of,
                "x-discord-union": single_shape,
            },
        )
        return extended


def _index_operations(spec: dict[str, Any]) -> list[tuple[re.Pattern[str], dict[str, Operation]]]:
    table = []
    for template, item in spec["paths"].items():
        by_method: dict[str, Operation] = {}
        for method, operation in item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            pointers = {
                media: _pointer(
                    "paths", template, method, "requestBody", "content", media, "schema"
                )
                for media in content
            }
            by_method[method] = Operation(
                template, method.upper(), operation["operationId"], pointers
            )
        regex = re.escape(template)
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", regex)
        table.append((template.count("{"), re.compile(regex), by_method))
    table.sort(key=lambda entry: entry[0])
    return [(pattern, by_method) for _, pattern, by_method in table]


def _pointer(*parts: str) -> str:
    escaped = (part.replace("~", "~0").replace("/", "~1") for part in parts)
    return SPEC_URI + "#/" + "/".join(escaped)


def _is_int_string(instance: Any) -> bool:
    return isinstance(instance, str) and bool(_INT_STRING.match(instance))


def _lenient_type(
    validator: Validator, types: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    allowed = types if isinstance(types, list) else [types]
    if "integer" in allowed and _is_int_string(instance):
        return
    is_int = isinstance(instance, int) and not isinstance(instance, bool)
    if schema.get("format") == "snowflake" and is_int and instance >= 0:
        return
    yield from _BASE["type"](validator, types, instance, schema)


def _coercing(keyword: Any) -> Any:
    """Bounds apply to int-parseable strings too, since Discord reads them as integers."""

    def check(
        validator: Validator, bound: Any, instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        value = int(instance) if _is_int_string(instance) else instance
        yield from keyword(validator, bound, value, schema)

    return check


def _one_of(
    validator: Validator, branches: list[Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    failures: list[ValidationError] = []
    matched: list[int] = []
    for index, branch in enumerate(branches):
        errors = list(validator.evolve(schema=branch).iter_errors(instance))
        if errors:
            failures.extend(errors)
        else:
            matched.append(index)
    if not matched:
        yield ValidationError(
            f"{instance!r} is not valid under any of the given schemas", context=failures
        )
    elif len(matched) > 1 and not isinstance(instance, str):
        # An int-parseable string legitimately fits both an integer and a string branch
        # (e.g. a nonce); any other double match is a real ambiguity.
        yield ValidationError(f"{instance!r} is valid under more than one of the given schemas")


def _single_shape_errors(
    validator: Validator, mode: Any, instance: Any, schema: dict[str, Any], resolve: Any
) -> Iterator[ValidationError]:
    if mode != "oneOf" or "anyOf" not in schema or not isinstance(instance, dict):
        return
    shapes = [(resolve(b).get("properties", {}).keys(), b) for b in schema["anyOf"]]
    matching = [keys for keys, b in shapes if validator.evolve(schema=b).is_valid(instance)]
    if not matching:
        return  # anyOf itself reports the failure, with the details
    declared = set().union(*(keys for keys, _ in shapes))
    used = instance.keys() & declared
    if not any(used <= keys for keys in matching):
        yield ValidationError(
            f"mixes fields of different shapes: {sorted(used)} fit no single shape of the union"
        )


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("uri", raises=ValueError)
    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme) and bool(parts.netloc or parts.path)

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        if isinstance(value, str):
            datetime.datetime.fromisoformat(value)
        return True

    return checker
