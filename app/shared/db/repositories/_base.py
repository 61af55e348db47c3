"""Small helpers shared by the Beanie repositories."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

from beanie import Document
from bson import ObjectId
from bson.errors import InvalidId
from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)

# Named on writes by id too: with extra predicates, a planner may otherwise scan.
ID_INDEX = "_id_"


def to_domain(document: Document, model: type[Model]) -> Model:
    """The core model behind a stored document, with its id as a string."""
    data = document.model_dump(exclude={"id", "revision_id"})
    if "id" in model.model_fields:
        data["id"] = str(document.id)
    return model.model_validate(data)


def raw_to_domain(raw: Mapping[str, Any] | None, model: type[Model]) -> Model:
    """The core model behind a raw PyMongo result (from find_one_and_update and friends).

    Callers check for "not found" first; None here means an upsert returned nothing, which
    MongoDB never does.
    """
    if raw is None:
        raise LookupError("expected a document from the database, got none")
    data = {key: value for key, value in raw.items() if key not in {"_id", "revision_id"}}
    if "id" in model.model_fields:
        data["id"] = str(raw["_id"])
    return model.model_validate(data)


def object_id(value: str) -> ObjectId | None:
    """Parse an id from outside; a malformed one simply matches nothing."""
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None


_MILLISECOND = timedelta(milliseconds=1)


def played_at_range(since: datetime | None, until: datetime | None = None) -> dict[str, Any]:
    """`{"played_at": ...}` for since <= played_at < until (either side optional), bounds the
    `*_newest` indexes serve exactly on MongoDB and on SecantusDB.

    "At or after `since`" is written as "after one millisecond before it": BSON dates hold
    milliseconds, so it is the same set on every server, and SecantusDB 0.7's index range scan
    drops the documents equal to a `$gte` bound on a descending field that is not the index's
    last (`played_at` is followed by `_id` in every such index).
    """
    bounds: dict[str, datetime] = {}
    if since is not None:
        bounds["$gt"] = whole_millisecond(since) - _MILLISECOND
    if until is not None:
        bounds["$lt"] = until
    return {"played_at": bounds} if bounds else {}


def whole_millisecond(moment: datetime) -> datetime:
    # What BSON stores of it: PyMongo drops the sub-millisecond part.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
