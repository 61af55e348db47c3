"""Prometheus metrics."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Request, Response

from app.api.observability import Metrics

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Request counts and latencies per route, and bus handler durations and outcomes."""
    return cast(Metrics, request.app.state.metrics).exposition()
