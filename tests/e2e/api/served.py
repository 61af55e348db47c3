"""An already started app behind a real uvicorn, configured as `debrief api` configures it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from app.api.server import server_config
from app.shared.settings import Settings


@asynccontextmanager
async def served(app: FastAPI, settings: Settings) -> AsyncIterator[int]:
    """Serve `app` (its lifespan already running) on a free loopback port; yields the port."""
    config = server_config(app, settings, host="127.0.0.1", port=0)
    config.lifespan = "off"
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "uvicorn stopped during start-up"
        await asyncio.sleep(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        await serving
