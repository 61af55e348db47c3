"""Integration fixtures: a real MongoDB wire server, and an index check on every query."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from app.shared.db.connection import Database, connect_database
from app.shared.db.documents import DOCUMENT_MODELS
from app.shared.db.hints import Backend
from tests.support.queries import QueryRecorder, explain, explainable, is_hinted_read

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def query_recorder() -> QueryRecorder:
    return QueryRecorder()


@pytest.fixture(scope="session")
async def database(mongodb_uri: str, query_recorder: QueryRecorder) -> AsyncIterator[Database]:
    name = f"debrief_test_{uuid.uuid4().hex[:8]}"
    async with connect_database(
        mongodb_uri, name, app_name="debrief-tests", listeners=[query_recorder]
    ) as database:
        yield database
        await database.client.drop_database(name)


@pytest.fixture(autouse=True)
async def clean_collections(database: Database) -> None:
    for model in DOCUMENT_MODELS:
        await model.get_pymongo_collection().delete_many({})


@pytest.fixture(autouse=True)
async def every_query_uses_an_index(
    database: Database, query_recorder: QueryRecorder, clean_collections: None
) -> AsyncIterator[None]:
    """After each test, explain every query the test made the app run.

    On SecantusDB a hinted read walks its whole index (see tests/support/queries.py), so none
    may carry a hint there.
    """
    query_recorder.commands.clear()
    yield
    recorded = list(query_recorder.commands)
    query_recorder.enabled = False
    try:
        for command in recorded:
            if database.backend is Backend.SECANTUS:
                assert not is_hinted_read(command), f"a hinted read walks its index: {command}"
            for body in explainable(command):
                plan = await explain(database.db, body)
                assert "COLLSCAN" not in plan.stages, f"collection scan for {body}"
                assert plan.index, f"no index used for {body}"
    finally:
        query_recorder.enabled = True
