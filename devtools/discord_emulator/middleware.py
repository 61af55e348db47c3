"""Discord's edge in front of every REST route: latency and faults, auth, rate limits, spec
validation of bodies, Discord-shaped errors and the request log. Control routes skip it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .bodies import read_body
from .core import EmulatorCore
from .errors import UNAUTHORIZED, DiscordHTTPError
from .faults import RestFault
from .guards import BODY_KEY, check_against_spec
from .oauth import Grant, OAuthError
from .rate_limits import BucketState
from .request_log import LoggedRequest
from .responses import error_response, json_response, rate_limited
from .routing import API_PREFIX, Auth, RouteInfo, is_control, route_info

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class Principal:
    """Who is calling: the bot (grant None) or an OAuth2 user."""

    grant: Grant | None = None

    @property
    def is_bot(self) -> bool:
        return self.grant is None


PRINCIPAL_KEY: web.RequestKey[Principal] = web.RequestKey("principal", Principal)


def principal_of(request: web.Request) -> Principal | None:
    return request.get(PRINCIPAL_KEY)


def discord_edge(core: EmulatorCore) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_control(request):
            response: web.StreamResponse = await handler(request)
            return response
        info = route_info(request)
        at, started = core.clock.now(), time.perf_counter()
        status = 500  # unless the handler says otherwise, it crashed
        try:
            response = await _answer(core, request, handler, info)
            status = response.status
            return response
        except web.HTTPException as http_error:  # redirects and CDN misses
            status = http_error.status
            raise
        finally:
            core.request_log.record(
                LoggedRequest(
                    request.method,
                    request.path,
                    info.template if info else None,
                    status,
                    at,
                    time.perf_counter() - started,
                )
            )

    return middleware


async def _answer(
    core: EmulatorCore, request: web.Request, handler: Handler, info: RouteInfo | None
) -> web.StreamResponse:
    template = info.template if info else None
    delay = core.faults.take_latency(request.method, request.path, template)
    if delay:
        await asyncio.sleep(delay)
    fault = core.faults.take_fault(request.method, request.path, template)
    if fault is not None:
        return _fault_response(fault)
    bucket: BucketState | None = None
    response: web.StreamResponse
    try:
        if info is not None:
            principal = _authenticate(core, request, info)
            request[PRINCIPAL_KEY] = principal
            if info.counts_toward_global_limit and principal.is_bot:
                bucket, limited = _rate_limit(core, request, info)
                if limited is not None:
                    return limited
        if request.method in BODY_METHODS and request.path.startswith(API_PREFIX):
            request[BODY_KEY] = body = await read_body(request)
            check_against_spec(core, request, body)
        response = await handler(request)
    except DiscordHTTPError as error:
        response = error_response(error)
    except web.HTTPException as http_error:
        if not request.path.startswith(API_PREFIX):
            raise
        response = json_response(
            {"message": f"{http_error.status}: {http_error.reason}", "code": 0},
            status=http_error.status,
        )
    if bucket is not None and not response.prepared:
        response.headers.update(bucket.headers())
    return response


def _authenticate(core: EmulatorCore, request: web.Request, info: RouteInfo) -> Principal:
    if info.auth is Auth.NONE:
        return Principal()
    header = request.headers.get("Authorization", "")
    if info.auth in (Auth.BOT, Auth.BOT_OR_BEARER) and header == f"Bot {core.config.token}":
        return Principal()
    if info.auth in (Auth.BEARER, Auth.BOT_OR_BEARER) and header.startswith("Bearer "):
        try:
            grant = core.oauth.grant_for(header.removeprefix("Bearer "))
        except OAuthError as error:
            raise DiscordHTTPError(401, UNAUTHORIZED, "401: Unauthorized") from error
        return Principal(grant)
    raise DiscordHTTPError(401, UNAUTHORIZED, "401: Unauthorized")


def _rate_limit(
    core: EmulatorCore, request: web.Request, info: RouteInfo
) -> tuple[BucketState | None, web.Response | None]:
    retry_after = core.rate_limiter.take_global()
    if retry_after is not None:
        return None, rate_limited(retry_after, is_global=True, scope="global")
    bucket = core.rate_limiter.take_route(request.method, info.template, dict(request.match_info))
    if bucket.exceeded:
        return bucket, rate_limited(
            bucket.reset_after, is_global=False, scope="user", bucket_headers=bucket.headers()
        )
    return bucket, None


def _fault_response(fault: RestFault) -> web.Response:
    if fault.status == 429:
        return rate_limited(
            fault.retry_after,
            is_global=fault.is_global,
            scope="global" if fault.is_global else "user",
        )
    return json_response(
        {"message": f"{fault.status}: injected by the emulator", "code": 0}, status=fault.status
    )
