"""The `debrief` command, run as a real process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo import MongoClient

from app.shared.embedded_db import free_port

pytestmark = pytest.mark.e2e


def debrief_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "MONGODB_", "JWT_", "GEMINI_"))
    }
    env.update({"DEBRIEF_DATA_DIR": str(tmp_path / ".debrief"), "PYTHONUNBUFFERED": "1", **extra})
    return env


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=tmp_path,
        env=debrief_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("command", ["db", "api", "bot", "up", "start", "sandbox", "healthcheck"])
def test_every_command_has_help(tmp_path: Path, command: str) -> None:
    result = run(tmp_path, command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_invalid_settings_give_one_clear_line_and_exit_status_2(tmp_path: Path) -> None:
    result = run(tmp_path, "api", API_PORT="ninety", JWT_SECRET="changeme")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "API_PORT" in lines[0] and "JWT_SECRET" in lines[0]
    assert "changeme" not in lines[0]


def test_bot_without_a_token_points_to_the_sandbox(tmp_path: Path) -> None:
    result = run(tmp_path, "bot", DEBRIEF_ENV="development")

    assert result.returncode == 2
    assert "DISCORD_BOT_TOKEN" in result.stderr and "sandbox" in result.stderr
    assert "Traceback" not in result.stderr


def wait_ready(port: int, timeout_s: float = 60) -> bytes:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                return bytes(response.read())
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the API never became ready")


def start_up(tmp_path: Path, api_port: int, db_port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "up"],
        cwd=tmp_path,
        text=True,
        env=debrief_env(
            tmp_path,
            DEBRIEF_ENV="development",
            API_PORT=str(api_port),
            EMBEDDED_DB_PORT=str(db_port),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    return output


def test_up_runs_the_embedded_database_and_api_and_keeps_data_across_restarts(
    tmp_path: Path,
) -> None:
    api_port, db_port = free_port(), free_port()
    uri = f"mongodb://127.0.0.1:{db_port}/?directConnection=true"

    first = start_up(tmp_path, api_port, db_port)
    try:
        assert b'"database":"ok"' in wait_ready(api_port)
        with MongoClient(uri) as client:
            client.debrief.canary.insert_one({"_id": "kept"})
    finally:
        output = stop(first)
    assert first.returncode == 0, output
    assert "DISCORD_BOT_TOKEN is not set" in output
    assert not (tmp_path / ".debrief" / "embedded-db.json").exists()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{api_port}/healthz", timeout=1)

    second = start_up(tmp_path, api_port, db_port)
    try:
        wait_ready(api_port)
        with MongoClient(uri) as client:
            assert client.debrief.canary.find_one({"_id": "kept"}) == {"_id": "kept"}
    finally:
        stop(second)


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port another program listens on, as 8765 or 8000 may be on a newcomer's machine."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    return line


def test_a_busy_console_port_says_how_to_choose_another(tmp_path: Path, busy_port: int) -> None:
    # The setting, from the environment as from .env; `make run` runs `start`.
    result = run(tmp_path, "start", DEBRIEF_ENV="development", SANDBOX_CONSOLE_PORT=str(busy_port))

    assert one_error_line(result) == (
        f"Port {busy_port} (the sandbox console) is in use: start with --port N or set "
        "SANDBOX_CONSOLE_PORT."
    )
    assert not (tmp_path / ".debrief" / "sandbox").exists(), "nothing started"


def test_a_busy_api_port_in_the_sandbox_says_how_to_choose_another(
    tmp_path: Path, busy_port: int
) -> None:
    free = str(free_port())
    result = run(
        tmp_path, "start", "--port", free, "--api-port", str(busy_port), DEBRIEF_ENV="development"
    )

    assert one_error_line(result) == (
        f"Port {busy_port} (the API) is in use: start with --api-port N or set API_PORT."
    )


def test_a_busy_port_for_the_api_alone_says_how_to_choose_another(
    tmp_path: Path, busy_port: int
) -> None:
    result = run(tmp_path, "api", DEBRIEF_ENV="development", API_PORT=str(busy_port))

    assert one_error_line(result) == (
        f"Port {busy_port} (the API) is in use: start with --port N or set API_PORT."
    )


def test_the_sandbox_ports_are_refused_when_start_runs_debrief_itself(tmp_path: Path) -> None:
    result = run(
        tmp_path, "start", "--port", "9000", DEBRIEF_ENV="development", DISCORD_BOT_TOKEN="x"
    )

    assert "set API_PORT instead" in one_error_line(result)
