"""A database state seeded once through the repositories and put back before each test.

Seeding a module's fixture through the repositories (every match also marks and refreshes its
day rollups) takes seconds on SecantusDB and is the same every time; putting the documents it
left back, one insert_many per collection, takes milliseconds. Each test still starts from
exactly the seeded state, whatever the test before it changed.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.shared.db.connection import Database
from app.shared.db.documents import DOCUMENT_MODELS
from tests.support.queries import QueryRecorder, assert_every_query_uses_an_index

Seeded = TypeVar("Seeded")


async def clear_collections() -> None:
    for model in DOCUMENT_MODELS:
        await model.get_pymongo_collection().delete_many({})


@dataclass(frozen=True)
class Snapshot(Generic[Seeded]):
    """What a seeding function returned, and every document it left in the database."""

    seeded: Seeded
    documents: dict[str, list[dict[str, Any]]]

    @classmethod
    async def seed(
        cls,
        seeding: Callable[[], Awaitable[Seeded]],
        database: Database,
        recorder: QueryRecorder,
    ) -> Snapshot[Seeded]:
        """Seed an empty database once; the seeding's own queries are checked as a test's are."""
        await clear_collections()
        recorder.commands.clear()
        seeded = await seeding()
        recorded = list(recorder.commands)
        recorder.commands.clear()
        await assert_every_query_uses_an_index(recorded, database, recorder)
        recorder.enabled = False
        try:
            documents = {
                model.get_collection_name(): await model.get_pymongo_collection()
                .find({})
                .to_list(None)
                for model in DOCUMENT_MODELS
            }
        finally:
            recorder.enabled = True
        return cls(seeded, {name: docs for name, docs in documents.items() if docs})

    async def restore(self, database: Database) -> Seeded:
        """Put the documents back into the (emptied) collections; a copy of what was seeded."""
        for name, documents in self.documents.items():
            await database.db[name].insert_many(copy.deepcopy(documents), ordered=True)
        return copy.deepcopy(self.seeded)
