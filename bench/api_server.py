"""The real API (`python -m app.cli api`) as a child process, as it runs in production."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.shared.embedded_db import free_port

READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
POLL_S = 0.2


class ApiDidNotStart(RuntimeError):
    """The API exited or never answered /readyz; its log says why."""


@dataclass(frozen=True)
class RunningApi:
    base_url: str
    pid: int
    log_path: Path


def api_environment(
    *, mongodb_uri: str, database: str, jwt_secret: str, data_dir: Path, port: int
) -> dict[str, str]:
    """Production settings (a real JWT secret, INFO logs), pointed at the benchmark's data."""
    return {
        "DEBRIEF_ENV": "production",
        "MONGODB_URI": mongodb_uri,
        "MONGODB_DATABASE": database,
        "JWT_SECRET": jwt_secret,
        "DEBRIEF_DATA_DIR": str(data_dir),
        "API_HOST": "127.0.0.1",
        "API_PORT": str(port),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "text",
        # Capacity is measured here, not the per-user limits (bench/abuse_reads.py does that).
        "READ_RATE_LIMIT": "1000000/minute",
        "READ_MAX_IN_FLIGHT": "1000",
        "EXPORT_RATE_LIMIT": "1000000/minute",
    }


@asynccontextmanager
async def running_api(
    *, mongodb_uri: str, database: str, jwt_secret: str, workdir: Path
) -> AsyncIterator[RunningApi]:
    """Start `debrief api` on a free loopback port, wait for /readyz, stop it on exit.

    It runs in `workdir`, so a developer's `.env` never changes what is measured, and its
    output goes to `workdir/api.log`.
    """
    port = free_port()
    env = api_environment(
        mongodb_uri=mongodb_uri,
        database=database,
        jwt_secret=jwt_secret,
        data_dir=workdir / "data",
        port=port,
    )
    log_path = workdir / "api.log"
    with log_path.open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app.cli",
            "api",
            env={**os.environ, **env},
            cwd=workdir,
            stdout=log,
            stderr=log,
            # Its own session: Ctrl-C reaches the benchmark, which stops the API itself.
            start_new_session=True,
        )
    api = RunningApi(f"http://127.0.0.1:{port}", process.pid, log_path)
    try:
        await _wait_until_ready(api, process)
        yield api
    finally:
        await _stop(process)


async def _wait_until_ready(api: RunningApi, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    async with httpx.AsyncClient(base_url=api.base_url, timeout=2.0) as http:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise ApiDidNotStart(
                    f"the API exited with {process.returncode}; see {api.log_path}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(POLL_S)
    raise ApiDidNotStart(f"the API was not ready in {READY_TIMEOUT_S:.0f} s; see {api.log_path}")


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


def log_problems(log_path: Path) -> list[str]:
    """The API log's warnings and errors (tracebacks included), to show next to the figures."""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [
        line for line in lines if " WARNING " in line or " ERROR " in line or "Traceback" in line
    ]
