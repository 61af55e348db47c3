"""The sandbox's web console: a page that looks like the Discord channel, and what it reads.

Routes, all on 127.0.0.1:

- ``GET /`` the page; ``/static/...`` its script and styles (no build step, nothing remote).
- ``GET /console/info`` the guild, channel, members one can act as, API links and samples.
- ``GET /console/feed?since=<version>`` the channel's messages, answered at once when they
  differ from ``version``, else when they change (long poll, at most 25 s).
- ``/console/api/{tail}`` (any method) the emulator's control API at ``/_emulator/{tail}``:
  the page registers attachments, invokes commands, clicks buttons and submits modals there.
- ``GET /console/cdn/...`` files the bot sent, from the emulator's attachment CDN.
- ``GET /console/samples/{file}`` a sample screenshot named in the samples manifest.

Only requests addressed to localhost are answered, and only JSON bodies accepted, so another
web site open in the same browser cannot drive the sandbox.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from types import TracebackType
from typing import Self

from aiohttp import web
from aiohttp.typedefs import Handler

from devtools.discord_emulator import DiscordEmulator
from devtools.samples import load_manifest
from devtools.sandbox.console_feed import ChannelFeed
from devtools.sandbox.console_info import console_info
from devtools.sandbox.console_proxy import EmulatorProxy
from devtools.sandbox.world import SandboxWorld

STATIC_DIR = Path(__file__).with_name("static")
HOST = "127.0.0.1"
# Base64 makes a 10 MiB attachment about 13.4 MiB of JSON.
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
# On Ctrl-C waiting polls are answered at once; any other request is cut after this.
SHUTDOWN_GRACE_S = 1.0
CDN_FOLDERS = "attachments|ephemeral-attachments"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD"})


class ConsoleServer:
    """The console's HTTP server; ``async with`` it, then open ``url``."""

    def __init__(
        self, emulator: DiscordEmulator, world: SandboxWorld, *, api_url: str, port: int
    ) -> None:
        self._emulator = emulator
        self._world = world
        self._api_url = api_url.rstrip("/")
        self._port = port
        self._manifest = load_manifest()
        self._feed = ChannelFeed(emulator, world.channel.id)
        self._proxy = EmulatorProxy(lambda: emulator.base_url)
        self._runner: web.AppRunner | None = None
        self._url = ""

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>/`` once started."""
        if not self._url:
            raise RuntimeError("the console is not running")
        return self._url

    async def __aenter__(self) -> Self:
        await self._proxy.open()
        runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=SHUTDOWN_GRACE_S)
        await runner.setup()
        try:
            await web.TCPSite(runner, HOST, self._port).start()
        except OSError:
            await runner.cleanup()
            await self._proxy.close()
            raise
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self._url = f"http://{host}:{port}/"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            self._feed.close()
            await self._runner.cleanup()
            self._runner = None
        await self._proxy.close()
        self._url = ""

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES, middlewares=[_local_pages_only])
        app.router.add_get("/", self.page)
        app.router.add_static("/static/", STATIC_DIR)
        app.router.add_get("/console/info", self.info)
        app.router.add_get("/console/feed", self.feed)
        app.router.add_route("*", "/console/api/{tail:.+}", self.control_api)
        app.router.add_get("/console/cdn/{folder:" + CDN_FOLDERS + "}/{rest:.+}", self.cdn)
        app.router.add_get("/console/samples/{file}", self.sample)
        return app

    async def page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    async def info(self, request: web.Request) -> web.Response:
        return web.json_response(
            console_info(
                self._world,
                self._manifest,
                api_url=self._api_url,
                cdn_origin=self._emulator.base_url,
            )
        )

    async def feed(self, request: web.Request) -> web.Response:
        since = request.query.get("since", "")
        try:
            wait_s = float(request.query.get("wait", "20"))
        except ValueError:
            return web.json_response({"error": "wait must be a number of seconds"}, status=400)
        return web.json_response(await self._feed.changed_since(since, max(wait_s, 0.0)))

    async def control_api(self, request: web.Request) -> web.Response:
        return await self._proxy.forward(request, _below(request, "/console/api", "/_emulator"))

    async def cdn(self, request: web.Request) -> web.Response:
        return await self._proxy.forward(request, _below(request, "/console/cdn", ""))

    async def sample(self, request: web.Request) -> web.Response:
        # Only names listed in the manifest are served, so no path ever reaches the disk.
        try:
            sample = self._manifest.by_file(request.match_info["file"])
        except KeyError:
            raise web.HTTPNotFound(text="No such sample screenshot.") from None
        content_type = mimetypes.guess_type(sample.file)[0] or "application/octet-stream"
        return web.Response(
            body=sample.read_bytes(),
            content_type=content_type,
            headers={"Cache-Control": "max-age=3600"},
        )


@web.middleware
async def _local_pages_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse what another web site open in the same browser could send.

    A page elsewhere can make the browser POST a form here, or rebind its own domain name to
    127.0.0.1; it cannot send a JSON body cross-origin without a CORS preflight, which this
    server never grants, and cannot make its domain name look like localhost.
    """
    if request.url.host not in LOCAL_HOSTS:
        return web.json_response({"error": "The console only answers on localhost."}, status=403)
    if request.method not in SAFE_METHODS and request.content_type != "application/json":
        return web.json_response({"error": "Send JSON."}, status=415)
    return await handler(request)


def _below(request: web.Request, prefix: str, upstream_prefix: str) -> str:
    """The request's still percent-encoded path with `prefix` swapped for `upstream_prefix`."""
    return upstream_prefix + request.rel_url.raw_path.removeprefix(prefix)
