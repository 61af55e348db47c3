"""What both processes open at start-up: the database and the catalog, as core dependencies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from app.core.bootstrap import AIDependencies, Dependencies
from app.shared.ai import open_ai
from app.shared.catalog.loader import load_catalog
from app.shared.db.connection import Database, PoolSize, connect_database
from app.shared.settings import Settings, SettingsError


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    dependencies: Dependencies
    ai: AIDependencies


def database_uri(settings: Settings) -> str:
    if settings.mongodb_uri is None:
        raise SettingsError("MONGODB_URI is not set and no embedded database was started.")
    return settings.mongodb_uri.get_secret_value()


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, app_name: str, pool: PoolSize | None = None
) -> AsyncIterator[Runtime]:
    catalog = load_catalog(settings.catalog_path)
    async with (
        connect_database(
            database_uri(settings),
            settings.mongodb_database,
            app_name=app_name,
            pool=pool or PoolSize(),
        ) as database,
        open_ai(settings) as ai,
    ):
        yield Runtime(settings, database, database.dependencies(catalog), ai)
