"""`DiscordEmulator`: one aiohttp server with the gateway, the REST API, OAuth2, the CDN and
the control API, plus the in-process driver and the views tests assert on."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Self

from aiohttp import web

from .clock import AdjustableClock
from .config import MIB, EmulatorConfig
from .control import ControlRoutes
from .core import EmulatorCore, build_core
from .driver import TestDriver
from .faults import FaultInjector
from .gateway import GatewayHub
from .limits import FILES_MAX
from .middleware import discord_edge
from .request_log import RequestLog
from .routes_app import ApplicationRoutes
from .routes_channels import ChannelRoutes
from .routes_interactions import InteractionRoutes
from .routes_oauth import OAuthRoutes
from .routing import ROUTE_INFO, RouteTable
from .state import EmulatorState
from .violations import SpecViolation

log = logging.getLogger(__name__)

GATEWAY_PATH = "/gateway"
SHUTDOWN_GRACE_SECONDS = 1.0


class DiscordEmulator:
    """A local Discord for the real discord.py client. Use `async with DiscordEmulator(...)`."""

    def __init__(
        self, config: EmulatorConfig | None = None, *, clock: AdjustableClock | None = None
    ) -> None:
        self.config = config or EmulatorConfig()
        self.core: EmulatorCore = build_core(self.config, clock)
        self.driver = TestDriver(self.core)
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> Self:
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        runner = web.AppRunner(
            self.build_app(), access_log=None, shutdown_timeout=SHUTDOWN_GRACE_SECONDS
        )
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, self.config.port)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self.core.base_url = f"http://{host}:{port}"
        self.core.gateway.gateway_url = f"ws://{host}:{port}{GATEWAY_PATH}"
        log.info("Discord emulator listening on %s", self.core.base_url)
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        await self.core.gateway.shutdown()
        await self._runner.cleanup()
        self._runner = None

    def build_app(self) -> web.Application:
        # Room for ten files at the size limit plus the JSON part.
        max_body = self.config.attachment_size_limit * FILES_MAX + MIB
        app = web.Application(middlewares=[discord_edge(self.core)], client_max_size=max_body)
        app[ROUTE_INFO] = {}
        table = RouteTable(app)
        for routes in (
            ApplicationRoutes(self.core),
            ChannelRoutes(self.core),
            InteractionRoutes(self.core),
            OAuthRoutes(self.core),
        ):
            routes.register(table)
        table.raw("GET", GATEWAY_PATH, self.core.gateway.handle)
        ControlRoutes(self.core, self.driver).register(app.router)
        return app

    # -- addresses --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>, once started."""
        return self.core.base_url

    @property
    def api_base_url(self) -> str:
        """What discord.py's `Route.BASE` must be set to."""
        return self.core.api_base_url

    @property
    def gateway_url(self) -> str:
        """What discord.py's `DiscordWebSocket.DEFAULT_GATEWAY` must be set to."""
        return self.core.gateway.gateway_url

    @property
    def token(self) -> str:
        return self.config.token

    # -- views for tests --------------------------------------------------------------------

    @property
    def clock(self) -> AdjustableClock:
        return self.core.clock

    @property
    def state(self) -> EmulatorState:
        return self.core.state

    @property
    def faults(self) -> FaultInjector:
        return self.core.faults

    @property
    def gateway(self) -> GatewayHub:
        return self.core.gateway

    @property
    def request_log(self) -> RequestLog:
        return self.core.request_log

    @property
    def spec_violations(self) -> list[SpecViolation]:
        """Bodies Discord would have refused (spec or limits), oldest first."""
        return self.core.violations.items

    def take_spec_violations(self) -> list[SpecViolation]:
        """Return and forget recorded violations, for tests that provoke them on purpose."""
        return self.core.violations.take()

    def assert_no_spec_violations(self) -> None:
        """Raise `SpecViolationError` listing every refused body; call it at test teardown."""
        self.core.violations.assert_none()
