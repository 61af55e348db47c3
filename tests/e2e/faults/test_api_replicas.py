"""An API replica stopped (SIGTERM) and started again while a load runs against two replicas.

What clients of a load balancer would see: no 5xx at all (uvicorn finishes the requests it
took before it stops), connection errors only from the replica that is down, and every request
answered by a replica.
"""

from __future__ import annotations

import asyncio

from app.shared.embedded_db import free_port
from tests.e2e.faults.load import RoundRobinLoad
from tests.e2e.faults.processes import FaultStack
from tests.e2e.faults.support import Figures

CONCURRENCY = 8
# Enough answers in each phase to be sure the load ran through it.
PER_PHASE = 150
MY_MATCHES = "/api/v1/matches?limit=5"


async def test_an_api_replica_restarted_mid_load_costs_no_5xx(
    stack: FaultStack, api_headers: dict[str, str], figures: Figures
) -> None:
    port = free_port()
    replica = await stack.start_api(port)
    load = RoundRobinLoad([stack.api_url, f"http://127.0.0.1:{port}"], MY_MATCHES, api_headers)
    loop = asyncio.get_running_loop()

    async with load.running(CONCURRENCY):
        await load.until(lambda: load.answered_by(1) >= PER_PHASE)
        stopping_at = loop.time()
        await replica.stop()
        answered_before = load.answered_by(0)
        await load.until(lambda: load.answered_by(0) >= answered_before + PER_PHASE)
        replica = await stack.start_api(port, name="API replica (restarted)")
        back_at = loop.time()
        await load.until(lambda: load.answered_by(1, since=back_at) >= PER_PHASE)

    statuses = [a.status for a in load.attempts if a.status is not None]
    assert set(statuses) == {200}, "no 5xx, no 4xx: only answers"
    assert set(load.outcomes) == {200}, "every request was answered by a replica"
    unreachable = [a for a in load.attempts if a.status is None]
    assert all(a.replica == 1 for a in unreachable), "the survivor was always reachable"
    assert all(stopping_at <= a.started <= back_at for a in unreachable), (
        "connection errors only while the replica was down"
    )
    assert load.answered_by(0, since=stopping_at) >= PER_PHASE, "the survivor took the load"
    figures.record("requests (all answered 200)", len(load.outcomes))
    figures.record("attempts refused by the stopped replica, retried", len(unreachable))
    figures.record("replica SIGTERM → restarted and ready", back_at - stopping_at, "s")
