"""Small helpers shared by the Beanie repositories."""

from __future__ import annotations

from collections.abc import Mapping
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
