"""What both processes open at start-up: the database and the catalog, as core dependencies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from app.core.bootstrap import AIDependencies, Dependencies
from app.shared.ai import open_ai
from app.shared.catalog.loader import load_catalog
from app.shared.db.connection import Database, PoolSize, connect_database
from app.shared.settings import Settings, SettingsError

if TYPE_CHECKING:
    # Only a type: importing the adapter would load google-genai in every process at start.
    from app.shared.gemini.calls import UsageObserver


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
    settings: Settings,
    *,
    app_name: str,
    on_ai_usage: UsageObserver | None = None,
    gemini_on_first_use: bool = False,
    pool: PoolSize | None = None,
) -> AsyncIterator[Runtime]:
    """The database, its repositories and the AI; ``on_ai_usage`` hears every Gemini call's
    tokens (the API's Prometheus counters, the bot's); `gemini_on_first_use`: see `open_ai`;
    `pool`: the database connections to keep (the bot sizes it for its debriefs)."""
    catalog = load_catalog(settings.catalog_path)
    async with (
        connect_database(
            database_uri(settings),
            settings.mongodb_database,
            app_name=app_name,
            pool=pool or PoolSize(),
        ) as database,
        open_ai(settings, on_usage=on_ai_usage, gemini_on_first_use=gemini_on_first_use) as ai,
    ):
        dependencies = replace(
            database.dependencies(catalog),
            same_match_window=timedelta(minutes=settings.same_match_window_minutes),
        )
        yield Runtime(settings, database, dependencies, ai)
