"""Forwarding the page's requests to the emulator, so the page talks to one origin only."""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiohttp
import yarl
from aiohttp import web

logger = logging.getLogger(__name__)

# Long polls through the control API wait up to the timeout the page asks for.
UPSTREAM_TIMEOUT = aiohttp.ClientTimeout(total=60, sock_connect=5)
PASSED_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control")


class EmulatorProxy:
    def __init__(self, base_url: Callable[[], str]) -> None:
        # The emulator knows its port only once it listens, hence a callable.
        self._base_url = base_url
        self._http: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        self._http = aiohttp.ClientSession(timeout=UPSTREAM_TIMEOUT)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def forward(self, request: web.Request, path: str) -> web.Response:
        """Send `request` (method, query, body) to `path` (percent-encoded, as received) on
        the emulator, and relay its answer."""
        if self._http is None:
            raise RuntimeError("the proxy is not open")
        body = await request.read() if request.can_read_body else None
        headers = {"Content-Type": request.content_type} if body is not None else {}
        url = yarl.URL(self._base_url() + path, encoded=True)
        try:
            async with self._http.request(
                request.method, url, params=request.query, data=body, headers=headers
            ) as upstream:
                payload = await upstream.read()
                relayed = {k: upstream.headers[k] for k in PASSED_HEADERS if k in upstream.headers}
                return web.Response(status=upstream.status, body=payload, headers=relayed)
        except (aiohttp.ClientError, TimeoutError) as error:
            logger.warning(
                "the Discord emulator did not answer %s %s: %s", request.method, path, error
            )
            return web.json_response(
                {"error": "The Discord emulator is not answering."}, status=502
            )
