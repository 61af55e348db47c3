"""Route registration with the metadata the middleware needs: auth kind and rate limiting."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

API_PREFIX = "/api/v10"
CONTROL_PREFIX = "/_emulator"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Auth(enum.Enum):
    BOT = "bot"  # Authorization: Bot <token>
    BOT_OR_BEARER = "bot_or_bearer"  # the bot, or an OAuth2 user's access token
    BEARER = "bearer"
    NONE = "none"  # interaction tokens, webhooks, CDN, OAuth2 endpoints, the gateway


@dataclass(frozen=True)
class RouteInfo:
    template: str
    auth: Auth
    # The global 50/s limit applies to bot-authenticated calls; interaction endpoints are
    # exempt, as on Discord.
    counts_toward_global_limit: bool


ROUTE_INFO: web.AppKey[dict[web.AbstractRoute, RouteInfo]] = web.AppKey("route_info", dict)


class RouteTable:
    """Adds routes to an aiohttp application and remembers how each one is guarded."""

    def __init__(self, app: web.Application) -> None:
        self._router = app.router
        self._info: dict[web.AbstractRoute, RouteInfo] = app.setdefault(ROUTE_INFO, {})

    def api(self, method: str, template: str, handler: Handler, auth: Auth = Auth.BOT) -> None:
        """A Discord REST route below /api/v10; `template` uses the spec's placeholder names."""
        route = self._router.add_route(method, API_PREFIX + template, handler)
        self._info[route] = RouteInfo(template, auth, auth is not Auth.NONE)

    def raw(self, method: str, path: str, handler: Handler) -> None:
        """A route outside the REST API (CDN, OAuth2 pages, gateway), open to anyone."""
        route = self._router.add_route(method, path, handler)
        self._info[route] = RouteInfo(path, Auth.NONE, False)


def route_info(request: web.Request) -> RouteInfo | None:
    return request.app[ROUTE_INFO].get(request.match_info.route)


def is_control(request: web.Request) -> bool:
    return request.path.startswith(CONTROL_PREFIX)
