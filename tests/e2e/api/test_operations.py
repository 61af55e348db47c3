"""Metrics and request ids."""

from __future__ import annotations

import httpx


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    await client.get("/readyz")

    text = (await client.get("/metrics")).text

    assert 'http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/readyz"}' in text
    assert "bus_handler_duration_seconds" in text


async def test_unknown_paths_share_one_label(client: httpx.AsyncClient) -> None:
    await client.get("/no/such/page/123")
    assert 'route="unmatched"' in (await client.get("/metrics")).text
    assert "/no/such/page/123" not in (await client.get("/metrics")).text


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    generated = (await client.get("/healthz")).headers["x-request-id"]
    echoed = (await client.get("/healthz", headers={"X-Request-ID": "trace-42"})).headers
    forged = "spaces and $ymbols {}"
    hostile = (await client.get("/healthz", headers={"X-Request-ID": forged})).headers

    assert len(generated) == 32
    assert echoed["x-request-id"] == "trace-42"
    assert hostile["x-request-id"] != forged
    assert len(hostile["x-request-id"]) == 32
