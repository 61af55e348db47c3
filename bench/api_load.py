"""An authenticated, concurrent load generator: N workers call one route for a fixed time.

Each worker sends its next request as soon as the previous one is answered (a closed loop),
so the throughput is what the API sustains with N requests in flight, and the latencies are
those N callers see. Nothing is retried: every non-2xx answer and every transport failure is
counted as an error.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from bench.common import mean_rate, percentile


@dataclass(frozen=True)
class Call:
    path: str
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Route:
    """A route under load: its name in the tables, and how to pick the next request."""

    name: str
    next_call: Callable[[random.Random], Call]


@dataclass
class RouteRun:
    name: str
    latencies_s: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    elapsed_s: float = 0.0

    @property
    def answered(self) -> int:
        return len(self.latencies_s)

    @property
    def errors(self) -> int:
        """Non-2xx answers plus requests that got no answer at all."""
        bad = sum(count for status, count in self.statuses.items() if not 200 <= status < 300)
        return bad + sum(self.failures.values())

    @property
    def requests_per_s(self) -> float:
        return mean_rate(self.answered, self.elapsed_s)

    def latency_ms(self, q: float) -> float:
        return percentile(self.latencies_s, q) * 1000 if self.latencies_s else float("nan")

    def error_detail(self) -> str:
        """E.g. "0", or "3 (500: 2, ReadTimeout: 1)"."""
        parts = [f"{s}: {n}" for s, n in sorted(self.statuses.items()) if not 200 <= s < 300]
        parts += [f"{name}: {n}" for name, n in sorted(self.failures.items())]
        return f"{self.errors} ({', '.join(parts)})" if parts else "0"


@dataclass
class _Budget:
    """How many more requests may start, shared by the workers of one run."""

    left: int | None

    def take(self) -> bool:
        if self.left is None:
            return True
        if self.left <= 0:
            return False
        self.left -= 1
        return True


async def run_route(
    http: httpx.AsyncClient,
    route: Route,
    *,
    workers: int,
    duration_s: float,
    max_requests: int | None = None,
    seed: int = 0,
) -> RouteRun:
    """Load `route` with `workers` concurrent callers until the time or the budget runs out."""
    if workers < 1 or duration_s <= 0:
        raise ValueError("need at least one worker and a positive duration")
    run = RouteRun(route.name)
    budget = _Budget(max_requests)
    started = time.perf_counter()
    deadline = started + duration_s
    await asyncio.gather(
        *(
            _worker(http, route, run, budget, deadline, random.Random(seed * 1000 + index))
            for index in range(workers)
        )
    )
    run.elapsed_s = time.perf_counter() - started
    return run


async def _worker(
    http: httpx.AsyncClient,
    route: Route,
    run: RouteRun,
    budget: _Budget,
    deadline: float,
    rng: random.Random,
) -> None:
    while time.perf_counter() < deadline and budget.take():
        call = route.next_call(rng)
        sent = time.perf_counter()
        try:
            response = await http.get(call.path, headers=dict(call.headers))
        except httpx.HTTPError as error:
            run.failures[type(error).__name__] += 1
            continue
        run.latencies_s.append(time.perf_counter() - sent)
        run.statuses[response.status_code] += 1
