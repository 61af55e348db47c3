"""The restartable process pool the image workers and the on-device reader share: started on
first use, its workers replaced when one dies, its tasks awaited without a caller's thread."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.shared.image_workers import preloaded_modules
from app.shared.process_pool import RestartablePool, WorkerDied
from tests.support.pool_tasks import note_started, pid_and_tasks_run, say_where_then_wait

# Long enough for the test to find and kill the worker; never reached by a passing test.
HELD_FOR_S = 60.0


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "workers-started"


@pytest.fixture
def pool(marker: Path) -> Iterator[RestartablePool]:
    started = RestartablePool(
        workers=1, preload=preloaded_modules, initializer=note_started, initargs=(str(marker),)
    )
    yield started
    started.close()


def started_pids(marker: Path) -> list[int]:
    return [int(line) for line in marker.read_text().split()] if marker.exists() else []


async def until_written(path: Path) -> str:
    for _ in range(600):
        if written := _read(path):
            return written
        await asyncio.sleep(0.05)
    raise AssertionError(f"the worker never wrote {path}")


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ""


async def test_a_worker_killed_mid_task_is_a_clear_error_and_the_next_task_gets_a_fresh_one(
    pool: RestartablePool, marker: Path, tmp_path: Path
) -> None:
    where = tmp_path / "worker-pid"
    task = asyncio.create_task(pool.run(say_where_then_wait, str(where), HELD_FOR_S))
    killed = int(await until_written(where))

    os.kill(killed, signal.SIGKILL)

    with pytest.raises(WorkerDied):
        await asyncio.wait_for(task, timeout=HELD_FOR_S / 2)
    pid, tasks_run = await pool.run(pid_and_tasks_run)
    assert pid != killed and pid != os.getpid()
    assert tasks_run == 1, "a fresh worker, not one that was there before"
    assert started_pids(marker) == [killed, pid], "the initializer ran in the new worker too"
    assert pool.worker_pids() == [pid]


async def test_it_starts_on_first_use_and_keeps_its_workers(
    pool: RestartablePool, marker: Path
) -> None:
    assert not pool.started and pool.worker_pids() == []

    await pool.warm_up()
    first, second = await pool.run(pid_and_tasks_run), await pool.run(pid_and_tasks_run)

    assert pool.started
    assert first[0] == second[0] and second[1] == first[1] + 1
    assert started_pids(marker) == [first[0]]


async def test_a_worker_limited_to_one_task_is_replaced_after_each(marker: Path) -> None:
    one_each = RestartablePool(
        workers=1,
        preload=preloaded_modules,
        initializer=note_started,
        initargs=(str(marker),),
        max_tasks_per_child=1,
    )
    try:
        runs = [await one_each.run(pid_and_tasks_run) for _ in range(3)]
    finally:
        one_each.close()

    assert len({pid for pid, _ in runs}) == 3 and {n for _, n in runs} == {1}


def test_a_blocking_caller_is_told_too_and_the_pool_restarts(
    pool: RestartablePool, tmp_path: Path
) -> None:
    pid = pool.run_blocking(os.getpid)

    os.kill(pid, signal.SIGKILL)
    with pytest.raises(WorkerDied):
        pool.run_blocking(say_where_then_wait, str(tmp_path / "unused"), 0.0)

    assert pool.run_blocking(os.getpid) not in {pid, os.getpid()}


def test_close_before_any_task_starts_nothing_and_is_idempotent(pool: RestartablePool) -> None:
    pool.close()
    pool.close()

    assert not pool.started


def test_at_least_one_worker() -> None:
    with pytest.raises(ValueError, match="workers"):
        RestartablePool(workers=0, preload=list, initializer=print, initargs=())
