"""Turn the model's JSON answers into the values the core expects, or say why they can't be.

A response schema makes a well-formed answer likely, not certain: Gemini may still exceed a
length, drop a field or wrap the JSON in prose. Everything is checked again here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any, TypeGuard

from app.shared.gemini import untrusted_json
from app.shared.gemini.schemas import (
    DIGEST_MAX,
    HEADLINE_MAX,
    MAX_LOBBY_ROWS,
    POINT_MAX,
    SENTENCE_MAX,
    TEAMS,
    TITLE_MAX,
    JsonSchema,
    extraction_schema,
)
from app.shared.gemini.untrusted_json import UntrustedJson

MAX_POINTS = 3
# Keys of the extraction answer that are not match stats: the game model forbids extra keys.
_EXTRACTION_ONLY_KEYS = ("readable", "reason", "lobby")
_SCALARS = (str, int, float, bool)


class UnusableAnswer(Exception):
    """The model answered, but with nothing the app can use; ``reason`` is for the logs."""

    log_level = logging.WARNING

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Blocked(UnusableAnswer):
    """The model refused: a safety block, or no text at all."""


class Malformed(UnusableAnswer):
    """Text that is not the JSON asked for."""


class NothingToRead(UnusableAnswer):
    """The model says the screenshots show no Black Ops 7 scoreboard."""

    # The model's verdict on what a user sent, not a fault.
    log_level = logging.INFO


class Unanswerable(UnusableAnswer):
    """The model says the match fields cannot answer the question."""

    log_level = logging.INFO


class RefusedPlan(UnusableAnswer):
    """A planned pipeline too large or too deeply nested even to parse: refused, as the guard
    refuses one that is merely too deep to run."""


def json_object(text: str) -> dict[str, Any]:
    # Before anything else touches it: even stripping megabytes costs something.
    if len(text) > untrusted_json.MAX_CHARS:
        raise Malformed(f"longer than {untrusted_json.MAX_CHARS} characters")
    try:
        value = untrusted_json.parse(_without_code_fence(text))
    except UntrustedJson as error:
        raise Malformed(error.reason) from None
    if not isinstance(value, dict):
        raise Malformed(f"JSON {type(value).__name__}, not an object")
    return value


def raw_stats(answer: Mapping[str, Any]) -> dict[str, Any]:
    """The raw match shape for the game model: no nulls, nothing but the stats."""
    readable = answer.get("readable")
    if readable is False:
        # The model's reason describes the user's picture: it stays out of the logs.
        raise NothingToRead("no scoreboard to read")
    if readable is not True:
        raise Malformed("'readable' is missing or not true/false")
    schema = extraction_schema()
    stats = _without_nulls(_known(answer, schema, "the answer"), drop=_EXTRACTION_ONLY_KEYS)
    player = stats.get("player")
    if not isinstance(player, Mapping):
        raise Malformed("no player row")
    stats["player"] = _without_nulls(_known(player, schema["properties"]["player"], "player"))
    weapons = stats.get("weapons", [])
    if not isinstance(weapons, list):
        raise Malformed("'weapons' is not a list")
    weapon = schema["properties"]["weapons"]["items"]
    stats["weapons"] = [
        _without_nulls(_known(w, weapon, "a weapon")) if isinstance(w, Mapping) else w
        for w in weapons
    ]
    return stats


def extraction(answer: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[dict[str, Any], ...]]:
    """The raw stats (`raw_stats`) and the scoreboard's other rows (`lobby`)."""
    stats = raw_stats(answer)
    return stats, lobby(answer, stats["player"].get("gamertag"))


def lobby(answer: Mapping[str, Any], own_gamertag: object = None) -> tuple[dict[str, Any], ...]:
    """The other players' rows, without nulls: at most MAX_LOBBY_ROWS, each an object of the
    schema's fields with a gamertag, a team and nothing nested. Anything else in the list is
    dropped, never the reading: another player's row cannot cost the uploader their match.
    A row named like the player's own is theirs, already in ``raw_stats``."""
    rows = answer.get("lobby")
    if not isinstance(rows, list):
        return ()
    own = own_gamertag.casefold() if isinstance(own_gamertag, str) else None
    fields = set(extraction_schema()["properties"]["lobby"]["items"]["properties"])
    kept: list[dict[str, Any]] = []
    for row in rows:
        if len(kept) == MAX_LOBBY_ROWS:
            break
        if _usable_row(row, fields) and row["gamertag"].casefold() != own:
            kept.append(_without_nulls(row))
    return tuple(kept)


def _usable_row(row: object, fields: AbstractSet[str]) -> TypeGuard[Mapping[str, Any]]:
    if not isinstance(row, Mapping) or not row.keys() <= fields:
        return False
    gamertag = row.get("gamertag")
    return (
        isinstance(gamertag, str)
        and bool(gamertag.strip())
        and row.get("team") in TEAMS
        and all(value is None or isinstance(value, _SCALARS) for value in row.values())
    )


def debrief_parts(answer: Mapping[str, Any]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Headline, strengths and things to work on, each clipped to its length."""
    return (
        clip(_text(answer, "headline"), HEADLINE_MAX),
        _points(answer, "strengths"),
        _points(answer, "to_work_on"),
    )


def planned_query(answer: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The pipeline (a list of stage objects, unchecked beyond that) and its title."""
    if answer.get("answerable") is False:
        raise Unanswerable("the model says the fields cannot answer the question")
    title = clip(_text(answer, "title"), TITLE_MAX)
    pipeline = _pipeline(_text(answer, "pipeline_json"))
    if not isinstance(pipeline, list) or not all(
        isinstance(stage, dict) and stage for stage in pipeline
    ):
        raise Malformed("pipeline_json is not a list of stage objects")
    if not pipeline:
        raise Unanswerable("the model proposed an empty pipeline")
    return pipeline, title


def sentence(answer: Mapping[str, Any]) -> str:
    return clip(_text(answer, "sentence"), SENTENCE_MAX)


def summary(answer: Mapping[str, Any]) -> str:
    return clip(_text(answer, "summary"), DIGEST_MAX)


def clip(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    # Cut at a word boundary unless that would throw away half the text.
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def _text(answer: Mapping[str, Any], key: str) -> str:
    value = answer.get(key)
    if not isinstance(value, str) or not value.strip():
        raise Malformed(f"{key!r} is missing or not text")
    return value


def _pipeline(text: str) -> object:
    unfenced = _without_code_fence(text)
    if untrusted_json.nesting_depth(unfenced) > untrusted_json.MAX_DEPTH:
        raise RefusedPlan(f"pipeline_json nested deeper than {untrusted_json.MAX_DEPTH}")
    try:
        return untrusted_json.parse(unfenced)
    except UntrustedJson as error:
        raise Malformed(f"pipeline_json: {error.reason}") from None


def _points(answer: Mapping[str, Any], key: str) -> tuple[str, ...]:
    # Fewer than the two asked for is still worth showing; more than three is clipped.
    value = answer.get(key)
    if not isinstance(value, list):
        raise Malformed(f"{key!r} is not a list")
    points = [clip(point, POINT_MAX) for point in value if isinstance(point, str) and point.strip()]
    if not points:
        raise Malformed(f"{key!r} has no points")
    return tuple(points[:MAX_POINTS])


def _known(values: Mapping[str, Any], schema: JsonSchema, what: str) -> Mapping[str, Any]:
    # Only the schema's fields go on: a key the model made up could be any length and would be
    # quoted back to the user by the game model's "not a stat" message.
    if not values.keys() <= schema["properties"].keys():
        raise Malformed(f"{what} has fields the schema does not offer")
    return values


def _without_nulls(values: Mapping[str, Any], *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    # A null means "not shown"; to the game model that is a missing field, not a value.
    return {key: value for key, value in values.items() if value is not None and key not in drop}


def _without_code_fence(text: str) -> str:
    """JSON as such, even when a model wrapped it in a Markdown code fence."""
    stripped = text.strip()
    if not stripped.startswith("```"):
        return stripped
    body = stripped.partition("\n")[2]
    return body.removesuffix("```").strip()
