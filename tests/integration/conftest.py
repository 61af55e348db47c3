"""Integration fixtures: a real MongoDB wire server, and an index check on every query.

The integration tests get a server of their own rather than the session's: SecantusDB keeps a
record of every retryable write for 30 minutes, and once it holds 10,000 it sorts them all on
each write (`secantus/transactions.py`, `_prune_retryable_locked`), which made every write of
the later tests about ten times slower after the end-to-end tests' writes.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from app.shared.db.connection import Database, connect_database
from app.shared.db.documents import DOCUMENT_MODELS
from tests.support.queries import QueryRecorder, assert_every_query_uses_an_index
from tests.support.wire_server import wire_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def query_recorder() -> QueryRecorder:
    return QueryRecorder()


@pytest.fixture(scope="package")
def mongodb_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with wire_server(tmp_path_factory) as uri:
        yield uri


@pytest.fixture(scope="package")
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
    await assert_every_query_uses_an_index(recorded, database, query_recorder)
