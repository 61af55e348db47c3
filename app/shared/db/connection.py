"""Connecting to MongoDB and building the repositories both processes share."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from beanie import init_beanie
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError
from pymongo.monitoring import CommandListener

from app.core.bootstrap import Dependencies
from app.core.clock import Clock, utc_now
from app.core.game.catalog import Catalog
from app.shared.db.documents import DOCUMENT_MODELS
from app.shared.db.hints import Backend, backend_of, use_backend
from app.shared.db.repositories import (
    BeanieAnalyticsRepository,
    BeanieCooldownRepository,
    BeanieDebriefRepository,
    BeanieDigestRunRepository,
    BeanieGamertagLinkRepository,
    BeanieGuardedQueryRunner,
    BeanieGuildConfigRepository,
    BeanieMatchRepository,
    BeanieOutboxRepository,
    BeanieRefreshTokenRepository,
    BeanieSeasonRepository,
    BeanieUserRepository,
)
from app.shared.db.rollups.rebuild import ensure_built as ensure_rollups_built
from app.shared.guild_languages import StoredGuildLanguages

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Database:
    client: AsyncMongoClient[dict[str, Any]]
    db: AsyncDatabase[dict[str, Any]]
    backend: Backend

    async def ping(self) -> bool:
        """True when the server answers; used by /readyz and /ping."""
        try:
            await self.db.command("ping")
        except PyMongoError:
            logger.warning("database ping failed", exc_info=True)
            return False
        return True

    def dependencies(self, catalog: Catalog, clock: Clock = utc_now) -> Dependencies:
        guild_configs = BeanieGuildConfigRepository()
        return Dependencies(
            matches=BeanieMatchRepository(),
            debriefs=BeanieDebriefRepository(),
            guild_configs=guild_configs,
            guild_languages=StoredGuildLanguages(guild_configs),
            users=BeanieUserRepository(),
            refresh_tokens=BeanieRefreshTokenRepository(),
            outbox=BeanieOutboxRepository(),
            analytics=BeanieAnalyticsRepository(),
            cooldowns=BeanieCooldownRepository(),
            digest_runs=BeanieDigestRunRepository(),
            gamertag_links=BeanieGamertagLinkRepository(),
            seasons=BeanieSeasonRepository(),
            guarded_queries=BeanieGuardedQueryRunner(),
            catalog=catalog,
            clock=clock,
        )


@dataclass(frozen=True)
class PoolSize:
    """PyMongo's connections to the server: kept open (`least`) and at most (`most`).

    PyMongo opens connections on demand, two at a time, resolving each address on the event
    loop's default executor; a burst that finds the pool empty waits for that. A process that
    knows how many operations it runs at once keeps that many open."""

    least: int = 0
    most: int = 100  # PyMongo's default


@asynccontextmanager
async def connect_database(
    uri: str,
    database: str,
    *,
    app_name: str,
    listeners: Sequence[CommandListener] = (),
    server_selection_timeout_ms: int = 10_000,
    pool: PoolSize = PoolSize(),
) -> AsyncIterator[Database]:
    """Open the client, register the documents and create their indexes; close on exit.

    Also decides, from the server's `buildInfo`, whether this process's queries name their
    index (see `app.shared.db.hints`).
    """
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        uri,
        tz_aware=True,
        appname=app_name,
        serverSelectionTimeoutMS=server_selection_timeout_ms,
        event_listeners=list(listeners),
        minPoolSize=pool.least,
        maxPoolSize=pool.most,
    )
    try:
        db = client[database]
        backend = backend_of(await db.command("buildInfo"))
        use_backend(backend)
        logger.info("database backend: %s (index hints %s)", backend.value, backend.uses_hints)
        await init_beanie(database=db, document_models=DOCUMENT_MODELS)
        await ensure_rollups_built()
        yield Database(client=client, db=db, backend=backend)
    finally:
        await client.close()
