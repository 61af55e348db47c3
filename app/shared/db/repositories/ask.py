"""Runs the guarded /ask pipelines on the matches collection.

The guard has already checked and scoped the pipeline; this runner still trusts nothing but
the forced first stage (to pick the index) and the final $limit (to bound what it reads back),
and refuses to run anything that does not have both.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bson import Decimal128, ObjectId
from pymongo.errors import ExecutionTimeout, OperationFailure

from app.core.ask.errors import QuestionNotComputable, QuestionTooHeavy
from app.core.ports import GuardedQueryRunner
from app.shared.db.documents import MatchDocument, MatchIndex
from app.shared.db.hints import index_hint

logger = logging.getLogger(__name__)

_INDEX_BY_SCOPE = {
    frozenset({"guild_id"}): MatchIndex.BY_GUILD,
    frozenset({"guild_id", "user_id"}): MatchIndex.BY_GUILD_USER,
}


class UnscopedPipeline(ValueError):
    """A programming error: something other than the guard's output reached the runner."""


class BeanieGuardedQueryRunner(GuardedQueryRunner):
    async def run_guarded(
        self, pipeline: Sequence[Mapping[str, Any]], *, max_time_ms: int
    ) -> list[dict[str, Any]]:
        index, limit = _scope_index(pipeline), _output_limit(pipeline)
        collection = MatchDocument.get_pymongo_collection()
        try:
            cursor = await collection.aggregate(
                [dict(stage) for stage in pipeline],
                **index_hint(index),
                maxTimeMS=max_time_ms,
                allowDiskUse=False,
            )
            async with cursor:
                documents = await cursor.to_list(length=limit)
        except ExecutionTimeout:
            raise QuestionTooHeavy from None
        except OperationFailure as error:
            # Usually a plan that is valid but meaningless on this data (a $divide by zero).
            logger.info("an /ask pipeline failed in MongoDB: %s", error.code)
            raise QuestionNotComputable from None
        return [_plain(document) for document in documents]


def _scope_index(pipeline: Sequence[Mapping[str, Any]]) -> str:
    scope = pipeline[0].get("$match") if pipeline else None
    if isinstance(scope, Mapping) and all(
        isinstance(value, int) and not isinstance(value, bool) for value in scope.values()
    ):
        index = _INDEX_BY_SCOPE.get(frozenset(scope))
        if index is not None:
            return index
    raise UnscopedPipeline("an /ask pipeline must start with the guard's scope $match")


def _output_limit(pipeline: Sequence[Mapping[str, Any]]) -> int:
    limit = pipeline[-1].get("$limit") if pipeline else None
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return limit
    raise UnscopedPipeline("an /ask pipeline must end with the guard's $limit")


def _plain(value: Any) -> Any:
    """BSON values as plain Python, so the core never sees a bson type."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, Decimal128):
        return float(value.to_decimal())
    return value
