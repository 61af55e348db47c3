"""The API benchmark's load generator, against an in-memory transport."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from bench.api_load import Call, Route, RouteRun, run_route

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://api")


def route(path: str = "/x") -> Route:
    return Route("GET /x", lambda rng: Call(path, {"Authorization": "Bearer t"}))


async def test_stops_after_the_request_budget() -> None:
    async with client(lambda request: httpx.Response(200)) as http:
        run = await run_route(http, route(), workers=3, duration_s=60, max_requests=7)

    assert run.answered == 7
    assert run.errors == 0
    assert run.error_detail() == "0"


async def test_stops_when_the_time_is_up() -> None:
    async with client(lambda request: httpx.Response(200)) as http:
        run = await run_route(http, route(), workers=2, duration_s=0.05)

    assert run.answered > 0
    assert run.elapsed_s >= 0.05


async def test_sends_the_routes_requests_with_their_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    async with client(handler) as http:
        await run_route(
            http, route("/api/v1/stats/summary"), workers=1, duration_s=60, max_requests=2
        )

    assert [r.url.path for r in seen] == ["/api/v1/stats/summary"] * 2
    assert all(r.headers["Authorization"] == "Bearer t" for r in seen)


async def test_counts_non_2xx_answers_and_transport_failures_as_errors() -> None:
    answers = iter([200, 500, 404, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers, None)
        if status is None:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(status)

    async with client(handler) as http:
        run = await run_route(http, route(), workers=1, duration_s=60, max_requests=5)

    assert run.answered == 4
    assert run.errors == 3
    assert run.error_detail() == "3 (404: 1, 500: 1, ReadTimeout: 1)"


def test_rates_and_percentiles_come_from_the_answered_requests() -> None:
    run = RouteRun("r", latencies_s=[0.1, 0.2, 0.3, 0.4], elapsed_s=2.0)

    assert run.requests_per_s == 2.0
    assert run.latency_ms(50) == pytest.approx(250.0)


@pytest.mark.parametrize(("workers", "duration"), [(0, 1.0), (1, 0.0)])
async def test_refuses_a_run_that_cannot_send_anything(workers: int, duration: float) -> None:
    async with client(lambda request: httpx.Response(200)) as http:
        with pytest.raises(ValueError, match="worker"):
            await run_route(http, route(), workers=workers, duration_s=duration)
