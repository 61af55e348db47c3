"""Metrics and request ids for the API.

A pure ASGI middleware (not BaseHTTPMiddleware) so streamed responses such as the CSV export
are measured without being buffered. Metrics live in a registry per app, so two apps in one
process (tests, several replicas in a benchmark) never mix their numbers.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import MutableMapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.observability import Dispatch
from app.shared.gemini.usage_metrics import GeminiUsageCounters
from app.shared.logging import request_id

REQUEST_ID_HEADER = "x-request-id"
# Accept a caller's id only if it can't smuggle anything into our logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
UNMATCHED_ROUTE = "unmatched"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests by route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency by route template",
            ["method", "route"],
            registry=self.registry,
        )
        self.handlers = Histogram(
            "bus_handler_duration_seconds",
            "Bus handler durations by message and outcome",
            ["kind", "message", "handler", "outcome"],
            registry=self.registry,
        )
        self.gemini = GeminiUsageCounters(self.registry)

    def observe_dispatch(self, dispatch: Dispatch) -> None:
        self.handlers.labels(
            dispatch.kind, dispatch.message, dispatch.handler, dispatch.outcome
        ).observe(dispatch.seconds)

    def exposition(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class ObservabilityMiddleware:
    """Gives every request an id (logged, echoed back) and records its route and latency."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(Request(scope))
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = _route_template(scope)
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route).observe(
                time.perf_counter() - started
            )
            request_id.reset(token)


def _request_id(request: Request) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _SAFE_REQUEST_ID.match(offered) else uuid.uuid4().hex


def _route_template(scope: MutableMapping[str, Any]) -> str:
    # The template ("/api/v1/matches/{match_id}"), never the raw path: ids in label values
    # would make a new time series per match.
    route = scope.get("route")
    return str(getattr(route, "path", UNMATCHED_ROUTE))
